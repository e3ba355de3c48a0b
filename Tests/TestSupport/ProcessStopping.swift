import Foundation

extension Process {
    /// Waits for the process to end by itself; its exit status, or nil after `seconds`.
    public func waitForExit(seconds: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        return isRunning ? nil : terminationStatus
    }

    /// SIGTERM, SIGKILL if it is still there after `grace` seconds, and waits until it is gone
    /// (so that its ports are free again).
    public func stop(grace: Double) {
        guard isRunning else { return }
        terminate()
        if waitForExit(seconds: grace) == nil {
            kill(processIdentifier, SIGKILL)
            waitUntilExit()
        }
    }
}
