import Foundation
import FreedomPayWire

/// The JSON Schema subset the OpenAPI document uses (type, const, enum, required, properties,
/// additionalProperties, items, anyOf, pattern, maxLength, minimum), enough to check answers against it.
enum SchemaCheck {
    static func problems(_ value: Any, _ schema: [String: Any], at path: String = "$") -> [String] {
        if let alternatives = schema["anyOf"] as? [[String: Any]] {
            let failures = alternatives.map { problems(value, $0, at: path) }
            return failures.contains(where: \.isEmpty) ? [] : ["\(path): matches no alternative: \(failures.flatMap { $0 })"]
        }
        var out: [String] = []
        if let types = (schema["type"] as? [String]) ?? (schema["type"] as? String).map({ [$0] }), !types.contains(where: { matches(value, $0) }) {
            return ["\(path): \(describe(value)) is not \(types.joined(separator: "|"))"]
        }
        if let constant = schema["const"], !same(constant, value) { out.append("\(path): \(describe(value)) is not \(constant)") }
        if let values = schema["enum"] as? [Any], !values.contains(where: { same($0, value) }) {
            out.append("\(path): \(describe(value)) not in \(values)")
        }
        if let text = value as? String {
            if let pattern = schema["pattern"] as? String, text.range(of: pattern, options: .regularExpression) == nil {
                out.append("\(path): \(text) does not match \(pattern)")
            }
            if let max = schema["maxLength"] as? Int, text.count > max { out.append("\(path): longer than \(max)") }
        }
        if let object = value as? [String: Any] {
            let properties = schema["properties"] as? [String: [String: Any]] ?? [:]
            for name in schema["required"] as? [String] ?? [] where object[name] == nil { out.append("\(path): missing \(name)") }
            for (name, item) in object.sorted(by: { $0.key < $1.key }) {
                if let property = properties[name] {
                    out += problems(item, property, at: "\(path).\(name)")
                } else if schema["additionalProperties"] as? Bool == false {
                    out.append("\(path): unexpected \(name)")
                } else if let extra = schema["additionalProperties"] as? [String: Any] {
                    out += problems(item, extra, at: "\(path).\(name)")
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (index, item) in array.enumerated() { out += problems(item, items, at: "\(path)[\(index)]") }
        }
        return out
    }

    static func matches(_ value: Any, _ type: String) -> Bool {
        switch type {
        case "string": return value is String
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "null": return value is NSNull
        case "boolean": return value is Bool
        case "integer": return (value as? Decimal).map(isWhole) == true
        case "number": return value is Decimal
        default: return false
        }
    }

    static func isWhole(_ number: Decimal) -> Bool {
        var input = number
        var rounded = Decimal()
        NSDecimalRound(&rounded, &input, 0, .plain)
        return rounded == number
    }

    static func same(_ lhs: Any, _ rhs: Any) -> Bool {
        if let left = lhs as? String, let right = rhs as? String { return left == right }
        if let left = lhs as? Bool, let right = rhs as? Bool { return left == right }
        if let right = rhs as? Decimal { return (lhs as? Int).map { Decimal($0) == right } ?? ((lhs as? Decimal) == right) }
        return false
    }

    /// JSON bytes as plain Swift values (`Bool`, `Decimal`, `String`, arrays, objects, `NSNull`), with booleans
    /// and numbers kept apart (Foundation's `NSNumber` would blur them).
    static func parse(_ data: Data) throws -> Any {
        plain(try JSONDecoder().decode(PartnerJSONValue.self, from: data))
    }

    static func plain(_ value: PartnerJSONValue) -> Any {
        switch value {
        case .null: return NSNull()
        case .bool(let flag): return flag
        case .number(let number): return number
        case .string(let text): return text
        case .array(let items): return items.map(plain)
        case .object(let fields): return fields.mapValues(plain)
        }
    }

    static func describe(_ value: Any) -> String {
        if let text = value as? String { return "\"\(text)\"" }
        return String(describing: value)
    }
}
