import XMLConfig

/// A dialplan `<context>` and its `<extension>` elements in document order; the dialplan engine
/// compiles the elements into conditions and actions.
public struct DialplanContext: Hashable, Sendable {
    public let name: String
    public let extensions: [XMLElement]
    public let location: SourceLocation

    public init(name: String, extensions: [XMLElement], location: SourceLocation) {
        self.name = name
        self.extensions = extensions
        self.location = location
    }
}
