import Logging

/// Logs go to standard error, so that command output on standard output stays clean.
func bootstrapLogging(level: Logger.Level = .info) {
    LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = level
        return handler
    }
}
