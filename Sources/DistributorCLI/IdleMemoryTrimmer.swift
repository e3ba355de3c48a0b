#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import NIOCore

/// glibc keeps freed heap pages for reuse, so after a burst of calls the process stays as big
/// as its peak. When no call is up, this hands them back to the system every few seconds, off
/// the event loops, so the resident size returns to its idle baseline.
enum IdleMemoryTrimmer {
    /// Also stops glibc from trimming the heap by itself while calls run: at every swing of
    /// the load it would hand pages back and map them again, each time under the process's
    /// memory-map lock, which stalls the other event loop. The idle trim gives them back.
    @discardableResult
    static func start(on loop: any EventLoop, every interval: TimeAmount = .seconds(10), isIdle: @escaping @Sendable () -> Bool) -> RepeatedTask {
        _ = mallocOption?(trimThreshold, 512 << 20)
        _ = mallocOption?(topPad, 16 << 20)
        return loop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
            guard isIdle() else { return }
            DispatchQueue.global(qos: .background).async { _ = mallocTrim?(0) }
        }
    }

    /// glibc's `mallopt` and two of its parameters (malloc.h), which the Glibc module does
    /// not export either.
    private static let mallocOption: (@convention(c) (Int32, Int32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
    }()
    private static let trimThreshold: Int32 = -1
    private static let topPad: Int32 = -2

    /// glibc's `malloc_trim`, which the Glibc module does not export; nil on other C libraries.
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
    }()
}
