#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLibXML2
import TextTrimming

/// Reads one XML file with libxml2 into an `XMLElement` tree. Nothing else in the project touches
/// libxml2. The network is never used and entities are not expanded.
enum LibXMLDocumentReader {
    private final class FirstError {
        var failure: Failure?
    }

    enum Failure: Error {
        case unreadable(String)
        case malformed(line: Int, reason: String)
    }

    static func read(path: String, displayPath: String) -> Result<XMLElement, Failure> {
        guard let bytes = readFile(path) else {
            return .failure(.unreadable(describeErrno()))
        }
        return parse(bytes, displayPath: displayPath)
    }

    static func parse(_ bytes: [UInt8], displayPath: String) -> Result<XMLElement, Failure> {
        guard !bytes.isEmpty else {
            return .failure(.malformed(line: 1, reason: "the file is empty"))
        }
        guard let context = xmlNewParserCtxt() else {
            return .failure(.malformed(line: 0, reason: "libxml2 could not allocate a parser"))
        }
        defer { xmlFreeParserCtxt(context) }
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOWARNING.rawValue
            | XML_PARSE_NOCDATA.rawValue | XML_PARSE_HUGE.rawValue)
        // The first error names the place to fix; libxml2 keeps only the last one, often an
        // "end of data" at the bottom of the file, so a handler records the first instead.
        let firstError = FirstError()
        xmlSetStructuredErrorFunc(Unmanaged.passUnretained(firstError).toOpaque()) { userData, error in
            guard let userData, let error, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
            let box = Unmanaged<FirstError>.fromOpaque(userData).takeUnretainedValue()
            if box.failure == nil {
                let text = error.pointee.message.map { String(cString: $0).trimmed() } ?? "not well-formed XML"
                box.failure = .malformed(line: Int(error.pointee.line), reason: text)
            }
        }
        defer { xmlSetStructuredErrorFunc(nil, nil) }
        let document = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                xmlCtxtReadMemory(context, $0, Int32(buffer.count), displayPath, nil, options)
            }
        }
        if let failure = firstError.failure {
            if let document { xmlFreeDoc(document) }
            return .failure(failure)
        }
        guard let document else {
            return .failure(.malformed(line: 0, reason: "not well-formed XML"))
        }
        defer { xmlFreeDoc(document) }
        guard let root = xmlDocGetRootElement(document) else {
            return .failure(.malformed(line: 0, reason: "the document has no root element"))
        }
        return .success(element(from: root, file: displayPath))
    }

    private static func element(from node: xmlNodePtr, file: String) -> XMLElement {
        var attributes: [XMLElement.Attribute] = []
        var property = node.pointee.properties
        while let current = property {
            let name = String(cString: current.pointee.name)
            var value = ""
            if let raw = xmlNodeListGetString(node.pointee.doc, current.pointee.children, 1) {
                value = String(cString: raw)
                free(raw)
            }
            attributes.append(.init(name: name, value: value))
            property = current.pointee.next
        }
        var children: [XMLElement] = []
        var text = ""
        var child = node.pointee.children
        while let current = child {
            switch current.pointee.type {
            case XML_ELEMENT_NODE:
                children.append(element(from: current, file: file))
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = current.pointee.content { text += String(cString: content) }
            default:
                break
            }
            child = current.pointee.next
        }
        return XMLElement(
            name: String(cString: node.pointee.name),
            attributes: attributes,
            children: children,
            text: children.isEmpty ? text : "",
            location: SourceLocation(file: file, line: Int(xmlGetLineNo(node)))
        )
    }

    private static func readFile(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            if count > 0 { bytes.append(contentsOf: chunk[0..<count]) }
            if count < chunk.count {
                if ferror(file) != 0 { return nil }
                break
            }
        }
        return bytes
    }

    private static func describeErrno() -> String {
        String(cString: strerror(errno))
    }
}
