#define _GNU_SOURCE
#include "CDatagramBatch.h"

#include <errno.h>
#include <string.h>
#include <sys/uio.h>

int send_datagrams(int fd, void *const *starts, const size_t *lengths,
                   struct sockaddr_storage *addresses, const socklen_t *address_lengths, unsigned int count) {
    if (count > DATAGRAM_BATCH_MAX) {
        errno = EINVAL;
        return -1;
    }
    struct mmsghdr messages[DATAGRAM_BATCH_MAX];
    struct iovec vectors[DATAGRAM_BATCH_MAX];
    memset(messages, 0, sizeof(struct mmsghdr) * count);
    for (unsigned int i = 0; i < count; i++) {
        vectors[i].iov_base = starts[i];
        vectors[i].iov_len = lengths[i];
        messages[i].msg_hdr.msg_name = &addresses[i];
        messages[i].msg_hdr.msg_namelen = address_lengths[i];
        messages[i].msg_hdr.msg_iov = &vectors[i];
        messages[i].msg_hdr.msg_iovlen = 1;
    }
    return sendmmsg(fd, messages, count, MSG_NOSIGNAL);
}
