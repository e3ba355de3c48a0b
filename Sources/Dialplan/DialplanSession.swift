import Causes
import Configuration
import Logging
import XMLConfig
import TextTrimming

/// One call's run through the XML dialplan, as a value type: `start()` hunts and runs the
/// built-in applications; an application of a higher layer (bridge) comes back as a step, and
/// its owner calls `next()` once it has run it. Action data is expanded each time an action
/// runs, so `${distributor(2gw)}` in a looped bridge picks afresh on every iteration.
public struct DialplanSession: Sendable {
    public private(set) var caller: CallerProfile
    public private(set) var variables: [String: String]
    /// Variables `export` gives to the legs this call originates.
    public private(set) var exports: [String: String] = [:]
    /// What matched and what ran, for `distributor route`; empty unless `recordsTrace`.
    public private(set) var matched: [MatchedExtension] = []
    public private(set) var trace: [ExecutedAction] = []
    private let recordsTrace: Bool

    private var queue: [DialplanAction] = []
    private var position = 0
    private var transfers = 0
    private let environment: DialplanEnvironment

    static let transferLimit = 30

    public init(caller: CallerProfile, variables: [String: String] = [:], environment: DialplanEnvironment, recordsTrace: Bool = true) {
        self.caller = caller
        self.variables = variables
        self.environment = environment
        self.recordsTrace = recordsTrace
    }

    /// A channel variable, else a caller-profile field.
    public func lookup(_ name: String) -> String? {
        variables[name] ?? caller.field(named: name)
    }

    public func expand(_ text: String) -> String {
        guard text.containsByte(UInt8(ascii: "$")) else { return text }
        let names = Names(variables: variables, caller: caller)
        return environment.expander.expand(text) { names.value(of: $0) }
    }

    /// What `${name}` reads, behind one reference: captured as two values, the variables and the
    /// profile's eleven strings were copied (and each retained) at every step of an expansion.
    private final class Names: Sendable {
        let variables: [String: String]
        let caller: CallerProfile

        init(variables: [String: String], caller: CallerProfile) {
            self.variables = variables
            self.caller = caller
        }

        func value(of name: String) -> String? {
            variables[name] ?? caller.field(named: name)
        }
    }

    public mutating func setVariable(_ name: String, _ value: String?) {
        variables[name] = value
    }

    public mutating func start() -> DialplanStep {
        if let outcome = hunt() { return .finished(outcome) }
        return next()
    }

    public mutating func next() -> DialplanStep {
        while position < queue.count {
            let action = queue[position]
            position += 1
            let data = switchTrue(variables["app_disable_expand_variables"]) ? action.data : expand(action.data)
            let application = action.application.lowercased()
            if recordsTrace { trace.append(ExecutedAction(application: action.application, data: data, location: action.location, inline: false)) }
            if environment.externalApplications.contains(application) {
                return .execute(application: application, data: data, location: action.location)
            }
            switch run(application, data: data, location: action.location) {
            case .proceed:
                continue
            case .finish(let outcome):
                return .finished(outcome)
            case .transfer(let destination, let context):
                transfers += 1
                guard transfers <= Self.transferLimit else {
                    environment.logger.error("\(action.location): more than \(Self.transferLimit) transfers; hanging up EXCHANGE_ROUTING_ERROR")
                    return .finished(.hangup(.exchangeRoutingError))
                }
                caller.destinationNumber = destination
                if let context { caller.context = context }
                if let outcome = hunt() { return .finished(outcome) }
            }
        }
        return .finished(.endOfDialplan)
    }

    // MARK: - Hunting

    /// Fills the queue from the caller's context; an outcome when the call ends while hunting.
    private mutating func hunt() -> DialplanOutcome? {
        queue = []
        position = 0
        let context = caller.context.isEmpty ? "default" : caller.context
        guard let extensions = environment.dialplan.contexts[context] ?? environment.dialplan.contexts["global"] else {
            environment.logger.warning("context \(context) not found; NO_ROUTE_DESTINATION")
            return .noRoute
        }
        environment.logger.debug("Processing \(caller.callerIDName) <\(caller.callerIDNumber)>->\(caller.destinationNumber) in context \(context)")
        let start = extensions.firstIndex { $0.name == caller.destinationNumber } ?? extensions.startIndex
        var routed = false
        for candidate in extensions[start...] {
            let result = evaluate(candidate, context: context)
            if let outcome = result.outcome { return outcome }
            routed = routed || result.contributed
            if result.proceed && !candidate.continues { break }
        }
        return routed ? nil : .noRoute
    }

    private struct Evaluation {
        var proceed = false
        var contributed = false
        var outcome: DialplanOutcome?
    }

    private mutating func evaluate(_ candidate: DialplanExtension, context: String) -> Evaluation {
        var result = Evaluation()
        for condition in candidate.conditions {
            let (matches, captures) = test(condition.test)
            if matches {
                result.proceed = true
                if !condition.actions.isEmpty { result.contributed = true }
                if let outcome = enqueue(condition.actions, captures: captures) {
                    result.outcome = outcome
                    break
                }
                if condition.breakMode == .onTrue || condition.breakMode == .always { break }
            } else {
                result.proceed = false
                if !condition.antiActions.isEmpty {
                    result.proceed = true
                    result.contributed = true
                    if let outcome = enqueue(condition.antiActions, captures: nil) {
                        result.outcome = outcome
                        break
                    }
                }
                if condition.breakMode == .onFalse || condition.breakMode == .always { break }
            }
        }
        if result.contributed, recordsTrace {
            matched.append(MatchedExtension(context: context, name: candidate.name, location: candidate.location))
        }
        return result
    }

    private mutating func enqueue(_ actions: [DialplanAction], captures: [String]?) -> DialplanOutcome? {
        // Room for them all at once, where appending them one by one grew a call's new queue
        // two or three times; doubled, so that a long chain of conditions still grows it rarely.
        if queue.capacity - queue.count < actions.count {
            queue.reserveCapacity(max(queue.count + actions.count, 2 * queue.capacity))
        }
        for action in actions {
            let data = captures.map { CaptureSubstitution.apply(action.data, captures: $0) } ?? action.data
            if action.inline {
                if let outcome = runInline(action, data: data) { return outcome }
                continue
            }
            for _ in 0..<max(0, action.loop) {
                queue.append(DialplanAction(application: action.application, data: data, inline: false, loop: 1, location: action.location))
            }
        }
        return nil
    }

    /// The condition's result and, when its expression groups, the captures for its actions.
    private mutating func test(_ test: DialplanCondition.Test) -> (Bool, [String]?) {
        switch test {
        case .always:
            return (true, nil)
        case .time(let time):
            return (time.matches(environment.clock()), nil)
        case .field(let field):
            guard let captures = match(field) else { return (false, nil) }
            return (true, field.expression.containsByte(UInt8(ascii: "(")) ? captures : nil)
        case .all(let fields), .any(let fields), .xor(let fields):
            var count = 0
            var last: [String]?
            for field in fields {
                if let captures = match(field) {
                    count += 1
                    if field.expression.containsByte(UInt8(ascii: "(")) { last = captures }
                }
            }
            let matches: Bool
            switch test {
            case .all: matches = count == fields.count && !fields.isEmpty
            case .any: matches = count > 0
            default: matches = count == 1
            }
            return (matches, matches ? last : nil)
        }
    }

    private mutating func match(_ test: FieldTest) -> [String]? {
        let subject = test.field.containsByte(UInt8(ascii: "$")) ? expand(test.field) : caller.field(named: test.field) ?? ""
        var regex = test.regex
        if regex == nil, test.expression.contains("${") {
            let expression = expand(test.expression)
            do {
                regex = try DialplanRegex(expression, jit: false)
            } catch {
                environment.logger.error("expression \"\(expression)\": \(error); the condition is false")
            }
        }
        guard let captures = regex?.match(subject) else { return nil }
        variables["DP_MATCH"] = "ARRAY::" + captures.joined(separator: "|:")
        return captures
    }

    // MARK: - Applications

    private enum Effect {
        case proceed
        case finish(DialplanOutcome)
        case transfer(destination: String, context: String?)
    }

    /// The applications that may run while hunting (FreeSWITCH's ROUTING_EXEC flag).
    static let inlineApplications: Set<String> = ["set", "unset", "export", "log", "distributor"]
    static let builtInApplications: Set<String> = inlineApplications.union(["hangup", "respond", "transfer"])

    private mutating func runInline(_ action: DialplanAction, data unexpanded: String) -> DialplanOutcome? {
        let application = action.application.lowercased()
        guard Self.inlineApplications.contains(application) else {
            if Self.builtInApplications.contains(application) || environment.externalApplications.contains(application) {
                environment.logger.warning("\(action.location): application \(action.application) cannot be executed inline; skipped")
                return nil
            }
            return invalidApplication(action.application, at: action.location)
        }
        let data = expand(unexpanded)
        if recordsTrace { trace.append(ExecutedAction(application: action.application, data: data, location: action.location, inline: true)) }
        if case .finish(let outcome) = run(application, data: data, location: action.location) { return outcome }
        return nil
    }

    private mutating func run(_ application: String, data: String, location: SourceLocation) -> Effect {
        switch application {
        case "set":
            let (name, value) = Self.assignment(data)
            variables[name] = value
        case "unset":
            variables[data.trimmed(" \t")] = nil
        case "export":
            var text = Substring(data)
            let local = !text.hasPrefix("nolocal:")
            if !local { text = text.dropFirst("nolocal:".count) }
            let (name, value) = Self.assignment(String(text))
            exports[name] = value
            if local { variables[name] = value }
        case "log":
            log(data)
        case "distributor":
            guard !data.isEmpty else {
                environment.logger.warning("\(location): distributor requires an argument")
                break
            }
            let node = environment.expander.commands.execute(name: "distributor", arguments: data) ?? "-err"
            if node != "-err" { variables["DISTRIBUTOR"] = node }
        case "hangup":
            let text = data.trimmed(" \t")
            guard !text.isEmpty else { return .finish(.hangup(.normalClearing)) }
            guard let cause = HangupCause(nameOrNumber: text) else {
                environment.logger.warning("\(location): unknown cause \"\(text)\"; hanging up NORMAL_CLEARING")
                return .finish(.hangup(.normalClearing))
            }
            return .finish(.hangup(cause))
        case "respond":
            let words = data.split(separator: " ", maxSplits: 1)
            guard let status = words.first.flatMap({ Int($0) }), (100...699).contains(status) else {
                environment.logger.warning("\(location): respond needs a SIP status code, got \"\(data)\"")
                break
            }
            guard status >= 300 else {
                environment.logger.warning("\(location): respond \(status) ignored: only final responses (300-699) are sent by respond")
                break
            }
            return .finish(.respond(status: status, reason: words.count > 1 ? String(words[1]) : nil))
        case "transfer":
            let words = data.split(separator: " ").map(String.init)
            guard let destination = words.first else {
                environment.logger.warning("\(location): transfer needs a destination")
                break
            }
            if words.count > 1, words[1].uppercased() != "XML" {
                environment.logger.warning("\(location): only the XML dialplan exists here; \"\(words[1])\" is read as XML")
            }
            return .transfer(destination: destination, context: words.count > 2 ? words[2] : nil)
        default:
            return .finish(invalidApplication(application, at: location))
        }
        return .proceed
    }

    private func invalidApplication(_ application: String, at location: SourceLocation) -> DialplanOutcome {
        environment.logger.error("\(location): invalid application \"\(application)\"; hanging up DESTINATION_OUT_OF_ORDER")
        return .hangup(.destinationOutOfOrder)
    }

    /// `name=value`; an empty or missing value unsets, as FreeSWITCH's `set` does.
    static func assignment(_ data: String) -> (String, String?) {
        guard let equals = data.utf8.firstIndex(of: UInt8(ascii: "=")) else { return (data.trimmed(" \t"), nil) }
        // Stepped over as a byte: `index(after:)` on the string would find a whole character.
        let value = String(data[data.utf8.index(after: equals)...])
        return (data[..<equals].trimmed(" \t"), value.isEmpty ? nil : value)
    }

    private func log(_ data: String) {
        let levels: [String: Logger.Level] = [
            "CONSOLE": .info, "ALERT": .critical, "CRIT": .critical, "ERR": .error, "ERROR": .error,
            "WARNING": .warning, "NOTICE": .notice, "INFO": .info, "DEBUG": .debug,
        ]
        let words = data.split(separator: " ", maxSplits: 1)
        if let first = words.first, let level = levels[first.uppercased()] {
            environment.logger.log(level: level, "\(words.count > 1 ? String(words[1]) : "")")
        } else {
            environment.logger.debug("\(data)")
        }
    }
}
