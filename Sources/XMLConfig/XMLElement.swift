/// An element of a FreeSWITCH-style XML file after pre-processing: a plain value that remembers
/// where it came from, so that every later check can name the file and line.
public struct XMLElement: Hashable, Sendable {
    public struct Attribute: Hashable, Sendable {
        public let name: String
        public let value: String
    }

    public let name: String
    public let attributes: [Attribute]
    public let children: [XMLElement]
    /// The element's own text (and CDATA), e.g. an `<expression>` regex or an action's data.
    public let text: String
    public let location: SourceLocation

    public init(name: String, attributes: [Attribute] = [], children: [XMLElement] = [], text: String = "", location: SourceLocation) {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.text = text
        self.location = location
    }

    public subscript(attribute name: String) -> String? {
        attributes.first { $0.name == name }?.value
    }

    public func children(named name: String) -> [XMLElement] {
        children.filter { $0.name == name }
    }

    public func child(named name: String) -> XMLElement? {
        children.first { $0.name == name }
    }

    /// The opening tag with its identifying attribute, as a person would search for it:
    /// `<node name="gw2">`, `<param name="ping">`, `<condition field="destination_number">`.
    public var summary: String {
        for key in ["name", "field", "application", "cmd"] {
            if let value = self[attribute: key] {
                return "<\(name) \(key)=\"\(value)\">"
            }
        }
        return "<\(name)>"
    }

    func replacing(attributes: [Attribute], children: [XMLElement], text: String) -> XMLElement {
        XMLElement(name: name, attributes: attributes, children: children, text: text, location: location)
    }
}
