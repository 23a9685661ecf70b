import Foundation
import FreedomPayWire
import Hummingbird
import NIOCore

/// Why a JSON body could not become the typed request, phrased for the caller.
public enum JSONBodyProblem: Error, Sendable {
    /// Not JSON at all, or not an object: the request itself is malformed.
    case malformed(String)
    /// JSON, but a field is missing or has the wrong type or value.
    case invalidField(String)
}

/// Decoding and encoding of JSON bodies with precise messages naming the offending field.
public enum JSONBody {
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws(JSONBodyProblem) -> T {
        guard !bytes.isEmpty else { throw .malformed("request body is empty; a JSON object is expected") }
        // One parse: anything but an object is refused by its first byte, invalid JSON by the decoder's syntax error.
        guard bytes.first(where: { !isJSONWhitespace($0) }) == UInt8(ascii: "{") else {
            throw .malformed("request body is not a JSON object")
        }
        // Only where JSONDecoder would return the same value (see `FlatJSONDecodable`); else JSONDecoder decides.
        if let flat = T.self as? any FlatJSONDecodable.Type, let value = flat.decodeFlat(bytes) as? T { return value }
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch let DecodingError.dataCorrupted(context) where context.codingPath.isEmpty && context.underlyingError != nil {
            throw .malformed("request body is not a JSON object")
        } catch let DecodingError.keyNotFound(key, context) {
            throw .invalidField("field '\(path(context.codingPath + [key]))' is required")
        } catch let DecodingError.typeMismatch(expected, context) {
            throw .invalidField("field '\(path(context.codingPath))' must be \(describe(expected))")
        } catch let DecodingError.valueNotFound(expected, context) {
            throw .invalidField("field '\(path(context.codingPath))' must be \(describe(expected)), not null")
        } catch let DecodingError.dataCorrupted(context) {
            throw .invalidField("field '\(path(context.codingPath))': \(context.debugDescription)")
        } catch let problem as JSONBodyProblem {
            throw problem
        } catch {
            throw .malformed("request body could not be read: \(error)")
        }
    }

    public static func encode(_ value: some Encodable) -> ByteBuffer {
        if let bytes = SortedJSON.encode(value) { return ByteBuffer(bytes: bytes) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return ByteBuffer(bytes: data)
    }

    public static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: encode(value)))
    }

    private static func isJSONWhitespace(_ byte: UInt8) -> Bool { byte == 32 || byte == 10 || byte == 13 || byte == 9 }

    static func path(_ keys: [any CodingKey]) -> String {
        keys.map { key in key.intValue.map { "[\($0)]" } ?? key.stringValue }
            .joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Int64.Type, is Int32.Type: return "an integer"
        case is Double.Type, is Decimal.Type: return "a number"
        case is Bool.Type: return "a boolean"
        case is [Any].Type: return "an array"
        default:
            let name = String(describing: type)
            return name.hasPrefix("Array") ? "an array" : (name.hasPrefix("Dictionary") ? "an object" : "of type \(name)")
        }
    }
}
