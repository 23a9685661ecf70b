import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads a Merchant API XML document (`pg_xml` input, merchant replies, our own responses) into the
/// ordered parameter tree the signature works on. Any root element name is accepted.
public enum PGXMLParser {
    public struct Document: Sendable, Equatable {
        public var root: String
        public var parameters: [PGParameter]
    }

    public static func parse(_ text: String) -> Document? {
        parse(Data(text.utf8))
    }

    public static func parse(_ data: Data) -> Document? {
        let delegate = TreeBuilder()
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.delegate = delegate
        guard parser.parse(), let root = delegate.rootName else { return nil }
        return Document(root: root, parameters: delegate.rootChildren)
    }

    private final class TreeBuilder: NSObject, XMLParserDelegate {
        private struct Frame { var name: String; var children: [PGParameter]; var text: String }
        private var stack: [Frame] = []
        var rootName: String?
        var rootChildren: [PGParameter] = []
        private let maxDepth = 16

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
            guard stack.count < maxDepth else { parser.abortParsing(); return }
            stack.append(Frame(name: elementName, children: [], text: ""))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard !stack.isEmpty else { return }
            stack[stack.count - 1].text += string
        }

        func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
            guard !stack.isEmpty else { return }
            stack[stack.count - 1].text += String(decoding: CDATABlock, as: UTF8.self)
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            guard let frame = stack.popLast() else { return }
            let value: PGValue = frame.children.isEmpty ? .text(frame.text.trimmingCharacters(in: .whitespacesAndNewlines)) : .nested(frame.children)
            if stack.isEmpty {
                rootName = frame.name
                rootChildren = frame.children
            } else {
                stack[stack.count - 1].children.append(PGParameter(frame.name, value))
            }
        }
    }
}
