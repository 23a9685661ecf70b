import Foundation

/// A from-scratch MD5 (RFC 1321) and `pg_sig` composition for flat parameter lists, used by the test merchant
/// to check our signatures without the production `PGSignature` code.
enum IndependentMD5 {
    static let shifts: [UInt32] = [7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                                   5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
                                   4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                                   6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21]
    static let constants: [UInt32] = (0..<64).map { index in
        var value = abs(Foundation.sin(Double(index + 1))) * 4_294_967_296.0
        value.round(.down)
        return UInt32(value)
    }

    static func hex(_ text: String) -> String {
        var message = Array(text.utf8)
        let bitLength = UInt64(message.count) * 8
        message.append(0x80)
        while message.count % 64 != 56 { message.append(0) }
        for index in 0..<8 { message.append(UInt8((bitLength >> (8 * UInt64(index))) & 0xff)) }
        var a0: UInt32 = 0x67452301, b0: UInt32 = 0xefcdab89, c0: UInt32 = 0x98badcfe, d0: UInt32 = 0x10325476
        for chunk in stride(from: 0, to: message.count, by: 64) {
            let words = (0..<16).map { index -> UInt32 in
                let base = chunk + index * 4
                return UInt32(message[base]) | UInt32(message[base + 1]) << 8 | UInt32(message[base + 2]) << 16 | UInt32(message[base + 3]) << 24
            }
            var a = a0, b = b0, c = c0, d = d0
            for index in 0..<64 {
                var f: UInt32, g: Int
                switch index {
                case 0..<16: f = (b & c) | (~b & d); g = index
                case 16..<32: f = (d & b) | (~d & c); g = (5 * index + 1) % 16
                case 32..<48: f = b ^ c ^ d; g = (3 * index + 5) % 16
                default: f = c ^ (b | ~d); g = (7 * index) % 16
                }
                f = f &+ a &+ constants[index] &+ words[g]
                a = d; d = c; c = b
                b = b &+ ((f << shifts[index]) | (f >> (32 - shifts[index])))
            }
            a0 = a0 &+ a; b0 = b0 &+ b; c0 = c0 &+ c; d0 = d0 &+ d
        }
        var digest = ""
        for word in [a0, b0, c0, d0] {
            for index: UInt32 in 0..<4 {
                let byte = UInt8(truncatingIfNeeded: word >> (8 * index))
                let text = String(byte, radix: 16)
                digest += byte < 16 ? "0" + text : text
            }
        }
        return digest
    }

    /// `md5(script;values sorted by name;secret)` for flat parameters (pg_sig excluded).
    static func sign(script: String, parameters: [(String, String)], secret: String) -> String {
        let values = parameters.filter { $0.0 != "pg_sig" }.enumerated()
            .sorted { lhs, rhs in lhs.element.0 == rhs.element.0 ? lhs.offset < rhs.offset : Array(lhs.element.0.utf8).lexicographicallyPrecedes(Array(rhs.element.0.utf8)) }
            .map(\.element.1)
        return hex(([script] + values + [secret]).joined(separator: ";"))
    }
}

import Testing

@Suite struct IndependentMD5Tests {
    /// The test merchant's MD5 must itself be right: RFC 1321 vectors and the spec's callback vectors V6/V7.
    @Test func matchesKnownVectors() {
        #expect(IndependentMD5.hex("") == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(IndependentMD5.hex("The quick brown fox jumps over the lazy dog") == "9e107d9d372bb6826bd81d3542a419d6")
        #expect(IndependentMD5.sign(script: "result", parameters: [("pg_status", "ok"), ("pg_description", "Order accepted"), ("pg_salt", "Qw12Er")],
                                    secret: "Sup3rSecret") == "6ab4da95516bcccd360435bcaeceb11b")
        #expect(IndependentMD5.sign(script: "result", parameters: [("pg_status", "ok"), ("pg_description", "Order paid"), ("pg_salt", "abc123")],
                                    secret: "secret") == "102a8d68d1a3464b9ff00f93b24f2a21")
    }
}
