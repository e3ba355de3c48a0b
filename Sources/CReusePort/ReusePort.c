#include "CReusePort.h"

#include <errno.h>
#include <sys/socket.h>

#ifdef __linux__
#include <linux/filter.h>

#ifndef SO_ATTACH_REUSEPORT_CBPF
#define SO_ATTACH_REUSEPORT_CBPF 51
#endif

int reuseport_spread_randomly(int fd, unsigned int sockets) {
    if (sockets == 0) {
        errno = EINVAL;
        return -1;
    }
    // A = random; A %= sockets; return A, the index of the socket in the group.
    struct sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (unsigned int)(SKF_AD_OFF + SKF_AD_RANDOM)),
        BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, sockets),
        BPF_STMT(BPF_RET | BPF_A, 0),
    };
    struct sock_fprog program = {.len = sizeof(code) / sizeof(code[0]), .filter = code};
    return setsockopt(fd, SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, &program, sizeof(program));
}

#else

int reuseport_spread_randomly(int fd, unsigned int sockets) {
    (void)fd;
    (void)sockets;
    errno = ENOSYS;
    return -1;
}

#endif
