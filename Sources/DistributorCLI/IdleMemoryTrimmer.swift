#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import NIOCore

/// glibc keeps freed heap pages for reuse, so after a burst of calls the process stays as big
/// as its peak. When no call is up, this hands them back to the system every few seconds, off
/// the event loops, so the resident size returns to its idle baseline.
enum IdleMemoryTrimmer {
    @discardableResult
    static func start(on loop: any EventLoop, every interval: TimeAmount = .seconds(10), isIdle: @escaping @Sendable () -> Bool) -> RepeatedTask {
        loop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
            guard isIdle() else { return }
            DispatchQueue.global(qos: .background).async { _ = mallocTrim?(0) }
        }
    }

    /// glibc's `malloc_trim`, which the Glibc module does not export; nil on other C libraries.
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
    }()
}
