#define _GNU_SOURCE
#include "CReceiveQueue.h"

#include <errno.h>
#include <sys/socket.h>

#if defined(__linux__) && defined(SO_MEMINFO)
#include <linux/sock_diag.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>

int receive_queue_read(int fd, struct receive_queue_state *state) {
    state->stamp_ns = 0;
    state->queued_bytes = 0;
    state->capacity_bytes = 0;
    state->drops = 0;
    struct timespec stamp;
    // ENOENT before the first datagram is read; a datagram that came before the stamps were on
    // reads as stamped at this call. Either way nothing is known to have waited.
    if (ioctl(fd, SIOCGSTAMPNS, &stamp) == 0) {
        state->stamp_ns = (int64_t)stamp.tv_sec * 1000000000 + stamp.tv_nsec;
    }
    uint32_t memory[SK_MEMINFO_VARS] = {0};
    socklen_t length = sizeof(memory);
    if (getsockopt(fd, SOL_SOCKET, SO_MEMINFO, memory, &length) != 0) return -1;
    state->queued_bytes = memory[SK_MEMINFO_RMEM_ALLOC];
    state->capacity_bytes = memory[SK_MEMINFO_RCVBUF];
    state->drops = memory[SK_MEMINFO_DROPS];
    return 0;
}
#else
int receive_queue_read(int fd, struct receive_queue_state *state) {
    (void)fd;
    state->stamp_ns = 0;
    state->queued_bytes = 0;
    state->capacity_bytes = 0;
    state->drops = 0;
    errno = ENOSYS;
    return -1;
}
#endif
