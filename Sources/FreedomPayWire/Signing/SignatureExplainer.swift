import Crypto
import Foundation

/// Explains a signature the way an integrator debugging a rejection needs it: the exact strings that
/// are signed, the expected value, and which rule a received signature breaks. Secrets are redacted
/// from everything it prints.
public enum SignatureExplainer {
    public struct Report: Sendable, Equatable {
        public var lines: [String]
        /// nil when no signature was given to check; else whether it verifies.
        public var valid: Bool?
        /// The first rule the received signature breaks.
        public var failure: String?

        public var text: String {
            var all = lines
            if let valid { all.append(valid ? "RESULT: the signature is VALID" : "RESULT: INVALID — \(failure ?? "signature mismatch")") }
            return all.joined(separator: "\n")
        }
    }

    /// Detached JWS (Card API HS512, Partner API HS256).
    public static func jws(
        body: [UInt8], secret: String, algorithm: JWSAlgorithm, path: String, method: String = "POST", query: String = "",
        authID: String?, received: String?
    ) -> Report {
        var lines: [String] = []
        let bodySegment = Base64URL.encode(body)
        if let received {
            do {
                let parsed = try DetachedJWS.parse(received)
                lines.append("received header JSON : \(String(decoding: Base64URL.decode(parsed.headerSegment) ?? [], as: UTF8.self))")
                lines.append("header segment (H)   : \(parsed.headerSegment)")
                lines.append("payload segment (P)  : \(bodySegment)   (base64url of the \(body.count) body bytes as sent)")
                lines.append("signing input        : H + \".\" + P")
                let expected = algorithm.mac(key: Array(secret.utf8), message: DetachedJWS.signingInput(headerSegment: parsed.headerSegment, body: body))
                lines.append("expected signature   : \(Base64URL.encode(expected))   (HMAC-\(algorithm.rawValue.dropFirst(2)) with the secret, redacted)")
                lines.append("received signature   : \(Base64URL.encode(parsed.signature))")
                do {
                    try parsed.verify(body: body, secret: secret, algorithm: algorithm, method: method, path: path, query: query)
                    return Report(lines: lines, valid: true, failure: nil)
                } catch {
                    return Report(lines: lines, valid: false, failure: error.message)
                }
            } catch {
                return Report(lines: lines, valid: false, failure: error.message)
            }
        }
        let header = JWSHeader(uri: path, authID: authID ?? "", method: method, params: query, alg: algorithm)
        let headerSegment = Base64URL.encode(header.compactJSON())
        lines.append("header JSON          : \(String(decoding: header.compactJSON(), as: UTF8.self))")
        lines.append("header segment (H)   : \(headerSegment)")
        lines.append("payload segment (P)  : \(bodySegment)")
        lines.append("signing input        : H + \".\" + P")
        lines.append("X-JWS-Signature      : \(DetachedJWS.sign(body: body, headerSegment: headerSegment, algorithm: algorithm, secret: secret))")
        return Report(lines: lines, valid: nil, failure: nil)
    }

    /// Legacy Card API `Sign`.
    public static func legacy(body: [UInt8], secret: String, received: String?) -> Report {
        let expected = LegacySign.sign(body: body, secret: secret)
        var lines = [
            "hashed string        : <\(body.count) body bytes as sent> + <secret, redacted>",
            "body                 : \(String(decoding: body, as: UTF8.self))",
            "expected Sign        : \(expected)   (lower-case hex sha256)",
        ]
        guard let received else { return Report(lines: lines, valid: nil, failure: nil) }
        lines.append("received Sign        : \(received)")
        let valid = LegacySign.verify(body: body, secret: secret, sign: received)
        return Report(lines: lines, valid: valid, failure: valid ? nil : "Sign is not sha256(body + secret): check that the body bytes are byte-identical and on one line")
    }

    /// Merchant API `pg_sig`.
    public static func pgSig(script: String, parameters: [PGParameter], secret: String, received: String?) -> Report {
        let signing = PGSignature.signingString(script: script, parameters: parameters, secret: secret)
        let redacted = signing.hasSuffix(secret) ? String(signing.dropLast(secret.count)) + "<secret>" : signing
        var lines = [
            "script name          : \(script)   (last path segment of the URL)",
            "signed string        : \(redacted)",
            "expected pg_sig      : \(PGSignature.sign(script: script, parameters: parameters, secret: secret))",
        ]
        guard let received else { return Report(lines: lines, valid: nil, failure: nil) }
        lines.append("received pg_sig      : \(received)")
        let valid = PGSignature.verify(script: script, parameters: parameters, secret: secret, signature: received)
        return Report(
            lines: lines, valid: valid,
            failure: valid ? nil : "pg_sig differs: check the script name, that every sent parameter (pg_salt too) is included, the sort order and the secret (payment vs payout)")
    }
}
