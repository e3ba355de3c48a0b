#ifndef CREUSEPORT_H
#define CREUSEPORT_H

/// Makes the kernel hand each datagram to a random socket of `fd`'s SO_REUSEPORT group of
/// `sockets`, instead of hashing the sender's address to one socket: a single busy peer (an
/// SBC, a carrier's proxy) then keeps every reading thread busy, not one. Returns 0, or -1
/// with errno set (ENOSYS where classic BPF for SO_REUSEPORT does not exist).
int reuseport_spread_randomly(int fd, unsigned int sockets);

#endif
