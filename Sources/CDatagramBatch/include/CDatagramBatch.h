#ifndef CDATAGRAMBATCH_H
#define CDATAGRAMBATCH_H

#include <stddef.h>
#include <sys/socket.h>

/// The most datagrams one `send_datagrams` call takes.
#define DATAGRAM_BATCH_MAX 64

/// Sends up to DATAGRAM_BATCH_MAX datagrams with one sendmmsg(2): datagram i is the
/// `lengths[i]` bytes at `starts[i]`, to the address `addresses[i]` of `address_lengths[i]`
/// bytes. Returns how many the kernel took (the first failed one, if any, is the next), or -1
/// with errno set when the first failed.
int send_datagrams(int fd, void *const *starts, const size_t *lengths,
                   struct sockaddr_storage *addresses, const socklen_t *address_lengths, unsigned int count);

#endif
