import Foundation

extension JWSHeader {
    /// Decodes the protected header. Every signed request carries one, so the common shape (a flat object of
    /// plain strings without escapes) is read by a minimal byte parser; anything else (escapes, non-string
    /// values, duplicate keys, odd whitespace) goes to `JSONDecoder`, which stays the definition of what is
    /// accepted: the fast path returns a header only where `JSONDecoder` would return the same one.
    static func decode(json bytes: [UInt8]) -> JWSHeader? {
        if let header = bytes.withUnsafeBufferPointer({ FlatStringObject.parse($0) }).flatMap(JWSHeader.init(fields:)) {
            return header
        }
        return try? JSONDecoder().decode(JWSHeader.self, from: Data(bytes))
    }

    private init?(fields: [String: String]) {
        guard let uri = fields["uri"], let authID = fields["auth_id"], let method = fields["method"],
              let params = fields["params"], let alg = fields["alg"] else { return nil }
        self.uri = uri
        self.authID = authID
        self.method = method
        self.params = params
        self.alg = alg
    }
}

/// A JSON object whose values are all strings without escape sequences; nil for anything else.
enum FlatStringObject {
    static func parse(_ input: UnsafeBufferPointer<UInt8>) -> [String: String]? {
        var index = 0
        var fields: [String: String] = [:]
        skipSpace(input, &index)
        guard index < input.count, input[index] == UInt8(ascii: "{") else { return nil }
        index += 1
        while true {
            skipSpace(input, &index)
            guard let key = string(input, &index) else { return nil }
            skipSpace(input, &index)
            guard index < input.count, input[index] == UInt8(ascii: ":") else { return nil }
            index += 1
            skipSpace(input, &index)
            guard let value = string(input, &index) else { return nil }
            // A repeated key: leave the decision to JSONDecoder.
            guard fields.updateValue(value, forKey: key) == nil else { return nil }
            skipSpace(input, &index)
            guard index < input.count else { return nil }
            if input[index] == UInt8(ascii: ",") { index += 1; continue }
            guard input[index] == UInt8(ascii: "}") else { return nil }
            index += 1
            break
        }
        skipSpace(input, &index)
        return index == input.count ? fields : nil
    }

    private static func skipSpace(_ input: UnsafeBufferPointer<UInt8>, _ index: inout Int) {
        while index < input.count {
            switch input[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): index += 1
            default: return
            }
        }
    }

    /// A quoted string with no backslash and no control character, as valid UTF-8.
    private static func string(_ input: UnsafeBufferPointer<UInt8>, _ index: inout Int) -> String? {
        guard index < input.count, input[index] == UInt8(ascii: "\"") else { return nil }
        let start = index + 1
        var end = start
        var ascii = true
        while end < input.count {
            let byte = input[end]
            if byte == UInt8(ascii: "\"") { break }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
            if byte >= 0x80 { ascii = false }
            end += 1
        }
        guard end < input.count else { return nil }
        index = end + 1
        let bytes = UnsafeBufferPointer(rebasing: input[start..<end])
        // ASCII is valid UTF-8 as is; `String(validating:)` goes through unspecialized generic code (~1 µs a field).
        return ascii ? String(decoding: bytes, as: UTF8.self) : String(validating: bytes, as: UTF8.self)
    }
}
