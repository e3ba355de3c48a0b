import Configuration
import XMLConfig

/// The dialplan's contexts compiled once per load: regular expressions built, attributes read.
public struct CompiledDialplan: Sendable {
    public let contexts: [String: [DialplanExtension]]
    public let diagnostics: [Diagnostic]

    public init(_ contexts: [DialplanContext]) {
        var diagnostics: [Diagnostic] = []
        var compiled: [String: [DialplanExtension]] = [:]
        for context in contexts {
            compiled[context.name] = context.extensions.map { Self.compileExtension($0, into: &diagnostics) }
        }
        self.contexts = compiled
        self.diagnostics = diagnostics
    }

    private static func compileExtension(_ element: XMLElement, into diagnostics: inout [Diagnostic]) -> DialplanExtension {
        let conditions = element.children(named: "condition").compactMap { compileCondition($0, into: &diagnostics) }
        return DialplanExtension(
            name: element[attribute: "name"] ?? "_anon_",
            continues: element[attribute: "continue"].map(switchTrue) ?? false,
            conditions: conditions,
            location: element.location
        )
    }

    private static func compileCondition(_ element: XMLElement, into diagnostics: inout [Diagnostic]) -> DialplanCondition? {
        if element.child(named: "condition") != nil {
            diagnostics.append(.warning("nested conditions are not allowed; the inner ones are ignored", at: element))
        }
        let time = TimeCondition(element, into: &diagnostics)
        let test: DialplanCondition.Test
        if let mode = element[attribute: "regex"]?.lowercased(), ["all", "any", "xor"].contains(mode) {
            let tests = element.children(named: "regex").compactMap { regex -> FieldTest? in
                guard let field = regex[attribute: "field"] else {
                    diagnostics.append(.warning("missing attribute \"field\"; regex skipped", at: regex))
                    return nil
                }
                return fieldTest(field: field, expression: regex[attribute: "expression"] ?? regex.text, at: regex, into: &diagnostics)
            }
            test = mode == "all" ? .all(tests) : mode == "any" ? .any(tests) : .xor(tests)
        } else if let field = element[attribute: "field"] {
            if time != nil {
                diagnostics.append(.warning("time attributes are ignored on a condition with a field (as in FreeSWITCH); give them a condition of their own", at: element))
            }
            let expression = element[attribute: "expression"] ?? element.child(named: "expression")?.text ?? ""
            test = .field(fieldTest(field: field, expression: expression, at: element, into: &diagnostics))
        } else if let time {
            test = .time(time)
        } else {
            test = .always
        }
        return DialplanCondition(
            test: test,
            breakMode: BreakMode(attribute: element[attribute: "break"]),
            actions: element.children(named: "action").compactMap { compileAction($0, into: &diagnostics) },
            antiActions: element.children(named: "anti-action").compactMap { compileAction($0, into: &diagnostics) },
            location: element.location
        )
    }

    private static func fieldTest(field: String, expression: String, at element: XMLElement, into diagnostics: inout [Diagnostic]) -> FieldTest {
        guard !expression.contains("${") else {
            return FieldTest(field: field, expression: expression, regex: nil)
        }
        do {
            return FieldTest(field: field, expression: expression, regex: try DialplanRegex(expression))
        } catch {
            diagnostics.append(.warning("expression \"\(expression)\": \(error); the condition never matches", at: element))
            return FieldTest(field: field, expression: expression, regex: nil)
        }
    }

    private static func compileAction(_ element: XMLElement, into diagnostics: inout [Diagnostic]) -> DialplanAction? {
        guard let application = element[attribute: "application"], !application.isEmpty else {
            diagnostics.append(.warning("missing attribute \"application\"; action skipped", at: element))
            return nil
        }
        let data = element.text.isEmpty ? element[attribute: "data"] ?? "" : element.text
        var loop = 1
        if let text = element[attribute: "loop"] {
            loop = CInteger.parse(text)
            if loop <= 0 {
                diagnostics.append(.warning("loop=\"\(text)\" queues the action no time", at: element))
            }
        }
        return DialplanAction(application: application, data: data, inline: element[attribute: "inline"].map(switchTrue) ?? false,
                              loop: loop, location: element.location)
    }
}
