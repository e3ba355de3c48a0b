#ifndef CRECEIVEQUEUE_H
#define CRECEIVEQUEUE_H

#include <stdint.h>

/// What a datagram socket's receive queue holds, read by `receive_queue_read`.
struct receive_queue_state {
    /// When the kernel took in the datagram read last, in CLOCK_REALTIME nanoseconds (0 before
    /// any was stamped).
    int64_t stamp_ns;
    /// Bytes waiting in the queue (the kernel's accounting, overhead included).
    uint32_t queued_bytes;
    /// The queue's room in the same accounting.
    uint32_t capacity_bytes;
    /// Datagrams dropped since the socket was made, most for want of room in the queue.
    uint32_t drops;
};

/// Reads `fd`'s queue: the last read datagram's kernel timestamp (SIOCGSTAMPNS, which turns
/// timestamping on at its first call; until a stamped datagram has been read it is 0), and
/// SO_MEMINFO's queue counters.
/// Returns 0, or -1 with errno set when the queue counters cannot be read.
int receive_queue_read(int fd, struct receive_queue_state *state);

#endif
