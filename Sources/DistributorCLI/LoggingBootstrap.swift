import ArgumentParser
import Logging
import LogFormatting

enum LogFormat: String, ExpressibleByArgument, CaseIterable {
    case human, json
}

/// Logs go to standard error, so that command output on standard output stays clean.
func bootstrapLogging(level: Logger.Level = .info, format: LogFormat = .human) {
    LoggingSystem.bootstrap { label in
        switch format {
        case .human:
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        case .json:
            return JSONLogHandler(label: label, level: level)
        }
    }
}
