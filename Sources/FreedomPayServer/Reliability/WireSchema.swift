import Foundation
import FreedomPayWire

/// JSON Schema of a wire model read from its own `Decodable` conformance: decoding it from a probe that answers
/// every question with a placeholder records each key asked for, its type, and whether it is required (`decode`)
/// or optional (`decodeIfPresent`). The OpenAPI bodies are therefore the code's bodies, not a second copy of them;
/// `OpenAPIBodySchemaTests` encodes the probe's sample of every model and validates it against the schema.
enum WireSchema {
    /// The schema of `T` (objects list their properties; `required` only where the model requires the key).
    static func of<T: Decodable>(_ type: T.Type) -> [String: Any] {
        if T.self is any Encodable.Type {
            lock.lock()
            if !probed.contains(where: { ObjectIdentifier($0) == ObjectIdentifier(T.self) }) { probed.append(T.self) }
            lock.unlock()
        }
        return (try? SchemaProbe.probe(T.self).schema) ?? [:]
    }

    /// Every Codable model a schema was read from (the drift test round-trips each).
    static var probedModels: [any Decodable.Type] {
        lock.lock()
        defer { lock.unlock() }
        return probed
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var probed: [any Decodable.Type] = []

    /// A value of `T` with every optional field present, built from placeholders (for the drift test).
    static func sample<T: Decodable>(_ type: T.Type) throws -> T {
        try SchemaProbe.probe(T.self).value
    }

    /// Types whose custom `init(from:)` accepts several JSON shapes (or keeps the object whole): their schema and a
    /// sample in JSON, stated once here.
    static var special: [ObjectIdentifier: (schema: [String: Any], sample: String)] { [
        ObjectIdentifier(WireDecimal.self): (["type": ["number", "string"], "description": "decimal amount (a JSON number on answers)"], "12.5"),
        ObjectIdentifier(PhoneNumber.self): (["type": ["integer", "string"], "description": "phone number digits"], "77001234567"),
        ObjectIdentifier(FlexibleString.self): (["type": ["string", "integer"]], "\"0\""),
        ObjectIdentifier(PartnerJSONValue.self): ([:], "{}"),
        ObjectIdentifier(Decimal.self): (["type": "number"], "0"),
        ObjectIdentifier(PartnerProduct.self): (["type": "object", "required": ["product_id"], "properties": ["product_id": ["type": "integer"]],
                                                 "description": "product object; product_id selects its fields (kept whole)"], #"{"product_id":1}"#),
    ] }

    /// Models whose decoder accepts more than the probe sees (it takes the first shape tried).
    static func adjusted(_ type: Any.Type, _ schema: [String: Any]) -> [String: Any] {
        guard type == AddRatesRequest.self, var properties = schema["properties"] as? [String: [String: Any]], let rates = properties["rates"] else {
            return schema
        }
        properties["rates"] = ["anyOf": [rates, ["type": "array", "items": rates]], "description": "one rate or a list"]
        var adjusted = schema
        adjusted["properties"] = properties
        return adjusted
    }
}

/// A closed enum of the wire: its values go into the schema's `enum`.
protocol WireSchemaEnum {
    static var schemaValues: [Any] { get }
    static var schemaSample: Any { get }
}

extension WireSchemaEnum where Self: CaseIterable & RawRepresentable {
    static var schemaValues: [Any] { allCases.map(\.rawValue) }
    static var schemaSample: Any { allCases.first as Any }
}

extension RequestStatus: WireSchemaEnum {}
extension CardAPIErrorCode: WireSchemaEnum {}
extension GiftStatusCode: WireSchemaEnum {}
extension GiftCardStatusCode: WireSchemaEnum {}
extension PartnerAPIErrorCode: WireSchemaEnum {}
extension EMoneyRequestStatus: WireSchemaEnum {}

/// `[String: Value]` maps: an object whose values all have `Value`'s schema.
protocol WireSchemaMap { static var valueSchema: [String: Any] { get } }
extension Dictionary: WireSchemaMap where Key == String, Value: Decodable {
    static var valueSchema: [String: Any] { WireSchema.of(Value.self) }
}

/// What one probe learned about the value it decoded.
final class SchemaNode {
    var properties: [String: [String: Any]] = [:]
    var required: [String] = []
    var isObject = false
    var item: [String: Any]?
    var isArray = false
    var single: [String: Any]?

    var schema: [String: Any] {
        if isObject {
            var schema: [String: Any] = ["type": "object", "properties": properties]
            if !required.isEmpty { schema["required"] = required }
            return schema
        }
        if isArray { return ["type": "array", "items": item ?? [:]] }
        return single ?? [:]
    }

    func property(_ key: String, _ schema: [String: Any], required isRequired: Bool) {
        isObject = true
        properties[key] = schema
        if isRequired && !required.contains(key) { required.append(key) }
    }
}

/// The recording `Decoder`.
struct SchemaProbe: Decoder {
    let node: SchemaNode
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    /// Decodes `T` from placeholders; returns the value and the schema of what `T` asked for.
    static func probe<T: Decodable>(_ type: T.Type) throws -> (value: T, schema: [String: Any]) {
        if let special = WireSchema.special[ObjectIdentifier(T.self)] {
            return (try JSONDecoder().decode(T.self, from: Data(special.sample.utf8)), special.schema)
        }
        if let closed = T.self as? any WireSchemaEnum.Type, let sample = closed.schemaSample as? T {
            let values = closed.schemaValues
            return (sample, ["type": values.first is String ? "string" : "integer", "enum": values])
        }
        if let map = T.self as? any WireSchemaMap.Type {
            return (try T(from: SchemaProbe(node: SchemaNode())), ["type": "object", "additionalProperties": map.valueSchema])
        }
        if let primitive = primitive(T.self) { return primitive }
        let node = SchemaNode()
        let value = try T(from: SchemaProbe(node: node))
        return (value, WireSchema.adjusted(T.self, node.schema))
    }

    /// Placeholders and schemas of the JSON scalars.
    static func primitive<T>(_ type: T.Type) -> (value: T, schema: [String: Any])? {
        if T.self == String.self { return ("0" as! T, ["type": "string"]) }
        if T.self == Bool.self { return (false as! T, ["type": "boolean"]) }
        if let integer = T.self as? any FixedWidthInteger.Type { return (integer.zero as! T, ["type": "integer"]) }
        if let real = T.self as? any BinaryFloatingPoint.Type { return (real.zero as! T, ["type": "number"]) }
        return nil
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        if !node.isArray && node.single == nil { node.isObject = true }
        return KeyedDecodingContainer(KeyedProbe<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        if !node.isObject { node.isArray = true }
        return UnkeyedProbe(node: node, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleProbe(node: node, codingPath: codingPath) }
}

struct KeyedProbe<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let node: SchemaNode
    var codingPath: [any CodingKey]
    var allKeys: [Key] { [] }

    func contains(_ key: Key) -> Bool { true }
    func decodeNil(forKey key: Key) throws -> Bool { false }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let (value, schema) = try SchemaProbe.probe(T.self)
        node.property(key.stringValue, schema, required: true)
        return value
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decode(type as Bool.Type, generic: key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try decode(type as String.Type, generic: key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decode(type as Double.Type, generic: key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decode(type as Float.Type, generic: key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decode(type as Int.Type, generic: key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decode(type as Int8.Type, generic: key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decode(type as Int16.Type, generic: key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decode(type as Int32.Type, generic: key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decode(type as Int64.Type, generic: key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decode(type as UInt.Type, generic: key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decode(type as UInt8.Type, generic: key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decode(type as UInt16.Type, generic: key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decode(type as UInt32.Type, generic: key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decode(type as UInt64.Type, generic: key) }

    private func decode<T: Decodable>(_ type: T.Type, generic key: Key) throws -> T {
        let (value, schema) = try SchemaProbe.probe(T.self)
        node.property(key.stringValue, schema, required: true)
        return value
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try decodeIfPresent(type as Bool.Type, optional: key) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try decodeIfPresent(type as String.Type, optional: key) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try decodeIfPresent(type as Double.Type, optional: key) }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try decodeIfPresent(type as Float.Type, optional: key) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try decodeIfPresent(type as Int.Type, optional: key) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try decodeIfPresent(type as Int8.Type, optional: key) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try decodeIfPresent(type as Int16.Type, optional: key) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try decodeIfPresent(type as Int32.Type, optional: key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try decodeIfPresent(type as Int64.Type, optional: key) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try decodeIfPresent(type as UInt.Type, optional: key) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try decodeIfPresent(type as UInt8.Type, optional: key) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try decodeIfPresent(type as UInt16.Type, optional: key) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try decodeIfPresent(type as UInt32.Type, optional: key) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try decodeIfPresent(type as UInt64.Type, optional: key) }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { try decodeIfPresent(type, optional: key) }

    private func decodeIfPresent<T: Decodable>(_ type: T.Type, optional key: Key) throws -> T? {
        let (value, schema) = try SchemaProbe.probe(T.self)
        node.property(key.stringValue, schema, required: false)
        return value
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        let child = SchemaNode()
        child.isObject = true
        defer { node.property(key.stringValue, child.schema, required: true) }
        return KeyedDecodingContainer(KeyedProbe<NestedKey>(node: child, codingPath: codingPath + [key]))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        let child = SchemaNode()
        child.isArray = true
        defer { node.property(key.stringValue, child.schema, required: true) }
        return UnkeyedProbe(node: child, codingPath: codingPath + [key])
    }

    func superDecoder() throws -> any Decoder { SchemaProbe(node: node, codingPath: codingPath) }
    func superDecoder(forKey key: Key) throws -> any Decoder { SchemaProbe(node: node, codingPath: codingPath) }
}

/// An array of exactly one element, so its element type is probed once.
struct UnkeyedProbe: UnkeyedDecodingContainer {
    let node: SchemaNode
    var codingPath: [any CodingKey]
    var count: Int? { 1 }
    var currentIndex = 0
    var isAtEnd: Bool { currentIndex >= 1 }

    init(node: SchemaNode, codingPath: [any CodingKey]) {
        self.node = node
        self.codingPath = codingPath
    }

    mutating func decodeNil() throws -> Bool { false }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try decodeGeneric(type) }
    mutating func decode(_ type: String.Type) throws -> String { try decodeGeneric(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try decodeGeneric(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try decodeGeneric(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try decodeGeneric(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try decodeGeneric(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try decodeGeneric(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try decodeGeneric(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try decodeGeneric(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try decodeGeneric(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try decodeGeneric(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try decodeGeneric(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try decodeGeneric(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try decodeGeneric(type) }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try decodeGeneric(type) }

    private mutating func decodeGeneric<T: Decodable>(_ type: T.Type) throws -> T {
        let (value, schema) = try SchemaProbe.probe(T.self)
        node.item = schema
        currentIndex += 1
        return value
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        currentIndex += 1
        return KeyedDecodingContainer(KeyedProbe<NestedKey>(node: SchemaNode(), codingPath: codingPath))
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        currentIndex += 1
        return UnkeyedProbe(node: SchemaNode(), codingPath: codingPath)
    }

    mutating func superDecoder() throws -> any Decoder { SchemaProbe(node: SchemaNode(), codingPath: codingPath) }
}

struct SingleProbe: SingleValueDecodingContainer {
    let node: SchemaNode
    var codingPath: [any CodingKey]

    func decodeNil() -> Bool { false }

    func decode(_ type: Bool.Type) throws -> Bool { try decodeGeneric(type) }
    func decode(_ type: String.Type) throws -> String { try decodeGeneric(type) }
    func decode(_ type: Double.Type) throws -> Double { try decodeGeneric(type) }
    func decode(_ type: Float.Type) throws -> Float { try decodeGeneric(type) }
    func decode(_ type: Int.Type) throws -> Int { try decodeGeneric(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decodeGeneric(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decodeGeneric(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decodeGeneric(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decodeGeneric(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try decodeGeneric(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decodeGeneric(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decodeGeneric(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decodeGeneric(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decodeGeneric(type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decodeGeneric(type) }

    private func decodeGeneric<T: Decodable>(_ type: T.Type) throws -> T {
        let (value, schema) = try SchemaProbe.probe(T.self)
        if !node.isObject && !node.isArray && node.single == nil { node.single = schema }
        return value
    }
}
