import SwiftASN1

/// The modulus and exponent of an RSA public key, read from a caller's PEM with SwiftASN1.
///
/// Why not `_RSA.Encryption.PublicKey(pemRepresentation:)`: in swift-crypto 3.x its BoringSSL backing frees the
/// key twice when both the SPKI and the PKCS#1 parse fail (the `catch` frees, then `deinit` frees again), which
/// aborts the process or corrupts the heap on a malformed `public_key` (found by fuzzing `card/secret_v2`).
/// So untrusted input is parsed here, and swift-crypto only ever sees numbers through `init(n:e:)`, whose
/// failure path frees once.
struct RSAPublicKeyNumbers: Sendable, Equatable {
    let modulus: [UInt8]
    let exponent: [UInt8]

    init(modulus: [UInt8], exponent: [UInt8]) {
        self.modulus = modulus
        self.exponent = exponent
    }

    /// `BEGIN PUBLIC KEY` (SubjectPublicKeyInfo with rsaEncryption) or `BEGIN RSA PUBLIC KEY` (PKCS#1).
    init(pem: String) throws {
        let document = try PEMDocument(pemString: pem)
        switch document.discriminator {
        case "PUBLIC KEY": self = try Self.subjectPublicKeyInfo(try DER.parse(document.derBytes))
        case "RSA PUBLIC KEY": self = try Self.pkcs1(try DER.parse(document.derBytes))
        default: throw ASN1Error.invalidPEMDocument(reason: "not an RSA public key")
        }
    }

    /// Bits of the modulus without its sign/leading zero bytes.
    var modulusBits: Int {
        guard let first = modulus.firstIndex(where: { $0 != 0 }) else { return 0 }
        return (modulus.count - first - 1) * 8 + (8 - modulus[first].leadingZeroBitCount)
    }

    /// Odd, at least 3: what BoringSSL accepts as a public exponent.
    var exponentIsUsable: Bool {
        guard let last = exponent.last, last & 1 == 1 else { return false }
        let significant = exponent.drop { $0 == 0 }
        return significant.count > 1 || (significant.first ?? 0) >= 3
    }

    private static func pkcs1(_ node: ASN1Node) throws -> Self {
        try DER.sequence(node, identifier: .sequence) { nodes in
            let modulus = try ArraySlice<UInt8>(derEncoded: &nodes)
            let exponent = try ArraySlice<UInt8>(derEncoded: &nodes)
            return Self(modulus: Array(modulus), exponent: Array(exponent))
        }
    }

    private static func subjectPublicKeyInfo(_ node: ASN1Node) throws -> Self {
        try DER.sequence(node, identifier: .sequence) { nodes in
            guard let algorithm = nodes.next() else { throw ASN1Error.invalidASN1Object(reason: "no algorithm") }
            let oid = try DER.sequence(algorithm, identifier: .sequence) { parameters in
                let oid = try ASN1ObjectIdentifier(derEncoded: &parameters)
                _ = parameters.next()  // rsaEncryption's parameters: NULL
                return oid
            }
            guard oid == .AlgorithmIdentifier.rsaEncryption else {
                throw ASN1Error.invalidASN1Object(reason: "not rsaEncryption")
            }
            let key = try ASN1BitString(derEncoded: &nodes)
            guard key.paddingBits == 0 else { throw ASN1Error.invalidASN1Object(reason: "padded key bits") }
            return try pkcs1(try DER.parse(key.bytes))
        }
    }
}
