import Foundation

/// Encodes a value exactly as `JSONEncoder` with `.sortedKeys` (and `.withoutEscapingSlashes` unless
/// `escapingSlashes`) does, byte for byte (keys in UTF-8 byte order, the same escapes), for the shapes our answers have: objects, arrays, strings,
/// integers, booleans and null. Anything else (floating point, `Decimal`, `Date`, `Data`, `URL`, control
/// characters other than tab/newline/return, super-encoders) throws `Unsupported`, and the caller falls back to
/// `JSONEncoder`. It exists because `JSONEncoder` cost more than every SQL statement of a debit together
/// (BENCHMARKS.md); `SortedJSONTests` compare both on every wire model.
public enum SortedJSON {
    public struct Unsupported: Error {}

    /// The JSON bytes of `value`, or nil when it holds something only `JSONEncoder` handles.
    public static func encode(_ value: some Encodable, escapingSlashes: Bool = false) -> [UInt8]? {
        let session = Session()
        let encoder = NodeEncoder(session: session)
        do {
            try value.encode(to: encoder)
        } catch {
            return nil
        }
        guard !session.unsupported, let node = encoder.node else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(256)
        write(node, escapingSlashes: escapingSlashes, into: &output)
        return output
    }

    // MARK: Tree

    /// Shared by every encoder of one `encode` call: set when something was asked that has no exact rendering.
    final class Session {
        var unsupported = false
    }

    /// Members in the order they were encoded; `write` sorts them and keeps the last of a repeated key (what
    /// a dictionary did, without hashing every key of every answer).
    final class ObjectNode {
        var members: [(key: String, value: Node)] = []

        func set(_ key: String, _ value: Node) { members.append((key, value)) }
    }

    final class ArrayNode {
        var elements: [Node] = []
    }

    enum Node {
        case null
        case literal(String)
        case string(String)
        case object(ObjectNode)
        case array(ArrayNode)
    }

    static func write(_ node: Node, escapingSlashes: Bool, into output: inout [UInt8]) {
        switch node {
        case .null: output.append(contentsOf: "null".utf8)
        case .literal(let text): output.append(contentsOf: text.utf8)
        case .string(let text): writeString(text, escapingSlashes: escapingSlashes, into: &output)
        case .array(let array):
            output.append(UInt8(ascii: "["))
            for (index, element) in array.elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                write(element, escapingSlashes: escapingSlashes, into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            writeObject(object.members, escapingSlashes: escapingSlashes, into: &output)
        }
    }

    /// An object's members sorted by key bytes; of a repeated key only the last value (encoding order) is written.
    static func writeObject(_ members: [(key: String, value: Node)], escapingSlashes: Bool, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "{"))
        let order = members.indices.sorted { left, right in
            let leftKey = members[left].key, rightKey = members[right].key
            return leftKey == rightKey ? left < right : leftKey.utf8.lexicographicallyPrecedes(rightKey.utf8)
        }
        var first = true
        for (position, index) in order.enumerated() {
            if position + 1 < order.count, members[order[position + 1]].key == members[index].key { continue }
            if !first { output.append(UInt8(ascii: ",")) }
            first = false
            writeString(members[index].key, escapingSlashes: escapingSlashes, into: &output)
            output.append(UInt8(ascii: ":"))
            write(members[index].value, escapingSlashes: escapingSlashes, into: &output)
        }
        output.append(UInt8(ascii: "}"))
    }

    /// Quotes and escapes like `JSONEncoder` (checked by `NodeEncoder.string` first: no unsupported bytes here).
    static func writeString(_ text: String, escapingSlashes: Bool, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: [92, 34])
            case UInt8(ascii: "\\"): output.append(contentsOf: [92, 92])
            case 10: output.append(contentsOf: [92, UInt8(ascii: "n")])
            case 13: output.append(contentsOf: [92, UInt8(ascii: "r")])
            case 9: output.append(contentsOf: [92, UInt8(ascii: "t")])
            case UInt8(ascii: "/") where escapingSlashes: output.append(contentsOf: [92, 47])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    /// A string node, or `Unsupported` for control characters whose escape this writer does not reproduce.
    static func string(_ text: String) throws -> Node {
        for byte in text.utf8 where byte < 0x20 && byte != 9 && byte != 10 && byte != 13 { throw Unsupported() }
        return .string(text)
    }

    /// The node of a nested value: scalars directly, anything else through its own `encode(to:)`.
    static func node<T: Encodable>(of value: T, _ session: Session) throws -> Node {
        // Metatype comparisons, not `as?` casts: a dynamic cast per field cost more than the rest of the encoding.
        // Each `same(...)` branch reinterprets `value` only when `T` is exactly that type.
        if T.self == String.self { return try string(same(value, String.self)) }
        if T.self == Int.self { return .literal(String(same(value, Int.self))) }
        if T.self == Int64.self { return .literal(String(same(value, Int64.self))) }
        if T.self == Bool.self { return .literal(same(value, Bool.self) ? "true" : "false") }
        if T.self == Int32.self { return .literal(String(same(value, Int32.self))) }
        if T.self == UInt.self { return .literal(String(same(value, UInt.self))) }
        if T.self == UInt64.self { return .literal(String(same(value, UInt64.self))) }
        if T.self == UInt32.self { return .literal(String(same(value, UInt32.self))) }
        if T.self == Int16.self { return .literal(String(same(value, Int16.self))) }
        if T.self == Int8.self { return .literal(String(same(value, Int8.self))) }
        if T.self == UInt16.self { return .literal(String(same(value, UInt16.self))) }
        if T.self == UInt8.self { return .literal(String(same(value, UInt8.self))) }
        // Types with a dedicated `JSONEncoder` representation, refused before their own `encode(to:)` runs.
        if T.self == Double.self || T.self == Float.self || T.self == Date.self || T.self == Data.self || T.self == URL.self
            || T.self == Decimal.self {
            throw Unsupported()
        }
        let encoder = NodeEncoder(session: session)
        try value.encode(to: encoder)
        guard let node = encoder.node else { throw Unsupported() }
        return node
    }

    @inline(__always)
    private static func same<T, U>(_ value: T, _ type: U.Type) -> U {
        unsafeBitCast(value, to: U.self)
    }
}

/// Collects what one value encodes into a `SortedJSON.Node`.
final class NodeEncoder: Encoder {
    let session: SortedJSON.Session
    var node: SortedJSON.Node?

    init(session: SortedJSON.Session) {
        self.session = session
    }

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .object(let object) = node { return KeyedEncodingContainer(KeyedNodeContainer<Key>(object: object, session: session)) }
        let object = SortedJSON.ObjectNode()
        node = .object(object)
        return KeyedEncodingContainer(KeyedNodeContainer<Key>(object: object, session: session))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .array(let array) = node { return UnkeyedNodeContainer(array: array, session: session) }
        let array = SortedJSON.ArrayNode()
        node = .array(array)
        return UnkeyedNodeContainer(array: array, session: session)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleNodeContainer(encoder: self) }
}

struct KeyedNodeContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let object: SortedJSON.ObjectNode
    let session: SortedJSON.Session
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil(forKey key: Key) throws { object.set(key.stringValue, .null) }
    mutating func encode(_ value: String, forKey key: Key) throws { object.set(key.stringValue, try SortedJSON.string(value)) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { object.set(key.stringValue, .literal(value ? "true" : "false")) }
    mutating func encode(_ value: Int, forKey key: Key) throws { object.set(key.stringValue, .literal(String(value))) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { object.set(key.stringValue, .literal(String(value))) }
    mutating func encode(_ value: Double, forKey key: Key) throws { throw SortedJSON.Unsupported() }
    mutating func encode(_ value: Float, forKey key: Key) throws { throw SortedJSON.Unsupported() }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        object.set(key.stringValue, try SortedJSON.node(of: value, session))
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let nested = SortedJSON.ObjectNode()
        object.set(key.stringValue, .object(nested))
        return KeyedEncodingContainer(KeyedNodeContainer<NestedKey>(object: nested, session: session))
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = SortedJSON.ArrayNode()
        object.set(key.stringValue, .array(nested))
        return UnkeyedNodeContainer(array: nested, session: session)
    }
    mutating func superEncoder() -> any Encoder { unsupported() }
    mutating func superEncoder(forKey key: Key) -> any Encoder { unsupported() }

    /// Super-encoders are not rendered: the whole value falls back to `JSONEncoder`.
    private func unsupported() -> any Encoder {
        session.unsupported = true
        return NodeEncoder(session: session)
    }
}

struct UnkeyedNodeContainer: UnkeyedEncodingContainer {
    let array: SortedJSON.ArrayNode
    let session: SortedJSON.Session
    var codingPath: [any CodingKey] { [] }
    var count: Int { array.elements.count }

    mutating func encodeNil() throws { array.elements.append(.null) }
    mutating func encode<T: Encodable>(_ value: T) throws { array.elements.append(try SortedJSON.node(of: value, session)) }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = SortedJSON.ObjectNode()
        array.elements.append(.object(nested))
        return KeyedEncodingContainer(KeyedNodeContainer<NestedKey>(object: nested, session: session))
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = SortedJSON.ArrayNode()
        array.elements.append(.array(nested))
        return UnkeyedNodeContainer(array: nested, session: session)
    }
    mutating func superEncoder() -> any Encoder {
        session.unsupported = true
        return NodeEncoder(session: session)
    }
}

struct SingleNodeContainer: SingleValueEncodingContainer {
    let encoder: NodeEncoder
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() throws { encoder.node = .null }
    mutating func encode<T: Encodable>(_ value: T) throws { encoder.node = try SortedJSON.node(of: value, encoder.session) }
}
