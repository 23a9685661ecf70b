/// Base64url without padding (RFC 7515 §2), the encoding every JWS segment uses.
/// Table-driven over bytes: every signed request encodes its body and decodes two segments, so this sits on
/// the verification hot path and avoids Foundation's String round trips.
public enum Base64URL {
    static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Sextet value of each byte, or 0xFF for a byte outside the base64url alphabet.
    static let sextets: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(value) }
        return table
    }()

    public static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        String(decoding: encodedBytes(bytes), as: UTF8.self)
    }

    /// The encoding as ASCII bytes, for callers that hash it rather than display it.
    public static func encodedBytes<Bytes: Sequence>(_ bytes: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        if let encoded = bytes.withContiguousStorageIfAvailable({ encode(buffer: $0) }) { return encoded }
        return Array(bytes).withUnsafeBufferPointer { encode(buffer: $0) }
    }

    private static func encode(buffer input: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        let count = input.count
        let outputCount = (count / 3) * 4 + [0, 2, 3][count % 3]
        return alphabet.withUnsafeBufferPointer { table in
            [UInt8](unsafeUninitializedCapacity: outputCount) { output, initialized in
                var inIndex = 0
                var outIndex = 0
                while inIndex + 3 <= count {
                    let chunk = UInt32(input[inIndex]) << 16 | UInt32(input[inIndex + 1]) << 8 | UInt32(input[inIndex + 2])
                    output[outIndex] = table[Int(chunk >> 18)]
                    output[outIndex + 1] = table[Int((chunk >> 12) & 0x3F)]
                    output[outIndex + 2] = table[Int((chunk >> 6) & 0x3F)]
                    output[outIndex + 3] = table[Int(chunk & 0x3F)]
                    inIndex += 3
                    outIndex += 4
                }
                let rest = count - inIndex
                if rest > 0 {
                    let second = rest == 2 ? UInt32(input[inIndex + 1]) : 0
                    let chunk = UInt32(input[inIndex]) << 16 | second << 8
                    output[outIndex] = table[Int(chunk >> 18)]
                    output[outIndex + 1] = table[Int((chunk >> 12) & 0x3F)]
                    outIndex += 2
                    if rest == 2 {
                        output[outIndex] = table[Int((chunk >> 6) & 0x3F)]
                        outIndex += 1
                    }
                }
                initialized = outIndex
            }
        }
    }

    /// Decodes base64url; padding is tolerated but not required. Returns nil on any non-alphabet character.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        if let decoded = text.utf8.withContiguousStorageIfAvailable({ decode(buffer: $0) }) { return decoded }
        return Array(text.utf8).withUnsafeBufferPointer { decode(buffer: $0) }
    }

    /// Decodes base64url ASCII bytes (same rules as `decode(_:)`).
    public static func decode(bytes: some Collection<UInt8>) -> [UInt8]? {
        if let decoded = bytes.withContiguousStorageIfAvailable({ decode(buffer: $0) }) { return decoded }
        return Array(bytes).withUnsafeBufferPointer { decode(buffer: $0) }
    }

    private static func decode(buffer input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var count = input.count
        // Trailing padding: everything from the first '=' is dropped, as long as the text ends in '='.
        if count > 0, input[count - 1] == UInt8(ascii: "=") {
            count = input.firstIndex(of: UInt8(ascii: "=")) ?? count
        }
        let remainder = count % 4
        if remainder == 1 { return nil }
        let outputCount = (count / 4) * 3 + [0, 0, 1, 2][remainder]
        return sextets.withUnsafeBufferPointer { table -> [UInt8]? in
            var valid = true
            let output = [UInt8](unsafeUninitializedCapacity: outputCount) { output, initialized in
                var inIndex = 0
                var outIndex = 0
                while inIndex + 4 <= count {
                    let a = table[Int(input[inIndex])], b = table[Int(input[inIndex + 1])]
                    let c = table[Int(input[inIndex + 2])], d = table[Int(input[inIndex + 3])]
                    if (a | b | c | d) & 0xC0 != 0 { valid = false; break }
                    let chunk = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                    output[outIndex] = UInt8(truncatingIfNeeded: chunk >> 16)
                    output[outIndex + 1] = UInt8(truncatingIfNeeded: chunk >> 8)
                    output[outIndex + 2] = UInt8(truncatingIfNeeded: chunk)
                    inIndex += 4
                    outIndex += 3
                }
                if valid, remainder >= 2 {
                    let a = table[Int(input[inIndex])], b = table[Int(input[inIndex + 1])]
                    let c = remainder == 3 ? table[Int(input[inIndex + 2])] : 0
                    if (a | b | c) & 0xC0 != 0 {
                        valid = false
                    } else {
                        let chunk = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6
                        output[outIndex] = UInt8(truncatingIfNeeded: chunk >> 16)
                        outIndex += 1
                        if remainder == 3 {
                            output[outIndex] = UInt8(truncatingIfNeeded: chunk >> 8)
                            outIndex += 1
                        }
                    }
                }
                initialized = valid ? outIndex : 0
            }
            return valid ? output : nil
        }
    }
}
