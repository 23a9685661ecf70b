import Crypto
import Foundation
import Synchronization

/// The HMAC algorithms a detached JWS may name. Anything else (including `none`) is refused at parse time.
public enum JWSAlgorithm: String, Sendable, Codable, CaseIterable {
    case hs256 = "HS256"
    case hs512 = "HS512"

    func mac(key: [UInt8], message: [UInt8]) -> [UInt8] {
        mac(key: key, parts: [message])
    }

    /// HMAC over the concatenation of `parts`, fed one contiguous buffer at a time (no joined copy).
    func mac(key: [UInt8], parts: [[UInt8]]) -> [UInt8] {
        switch KeyedMACs.shared.keyed(self, key: key) {
        case .sha256(let keyed): return Self.mac(keyed, parts)
        case .sha512(let keyed): return Self.mac(keyed, parts)
        }
    }

    /// HMAC states already keyed, by algorithm and key. A partner signs every call with the same secret, and
    /// keying (padding the key, hashing its inner block) was a third of a signature's MAC; a keyed state is a
    /// value, copied per message, so a hit computes exactly what a fresh one would. Bounded: emptied when full.
    final class KeyedMACs: Sendable {
        /// `HMAC` is a copy-on-write value (its digest state is a class copied before the first update of a
        /// shared copy) that swift-crypto does not mark Sendable; it is only ever copied out of the cache.
        enum Keyed: @unchecked Sendable {
            case sha256(HMAC<SHA256>)
            case sha512(HMAC<SHA512>)
        }

        struct Key: Hashable, Sendable {
            var algorithm: JWSAlgorithm
            var key: [UInt8]
        }

        static let shared = KeyedMACs(capacity: 256)
        let capacity: Int
        private let states = Mutex<[Key: Keyed]>([:])

        init(capacity: Int) { self.capacity = capacity }

        func keyed(_ algorithm: JWSAlgorithm, key: [UInt8]) -> Keyed {
            let cacheKey = Key(algorithm: algorithm, key: key)
            if let known = states.withLock({ $0[cacheKey] }) { return known }
            let symmetricKey = SymmetricKey(data: key)
            let keyed: Keyed
            switch algorithm {
            case .hs256: keyed = .sha256(HMAC<SHA256>(key: symmetricKey))
            case .hs512: keyed = .sha512(HMAC<SHA512>(key: symmetricKey))
            }
            states.withLock { states in
                if states.count >= capacity { states.removeAll(keepingCapacity: true) }
                states[cacheKey] = keyed
            }
            return keyed
        }

        var count: Int { states.withLock { $0.count } }
    }

    private static func mac<H: HashFunction>(_ hmac: HMAC<H>, _ parts: [[UInt8]]) -> [UInt8] {
        var hmac = hmac
        for part in parts { hmac.update(data: part) }
        return Array(hmac.finalize())
    }
}

/// The JWT header Freedom Pay's JSON APIs sign: it binds the signature to one route, method and partner.
public struct JWSHeader: Codable, Sendable, Equatable {
    public var uri: String
    public var authID: String
    public var method: String
    public var params: String
    public var alg: String

    public init(uri: String, authID: String, method: String = "POST", params: String = "", alg: JWSAlgorithm) {
        self.uri = uri
        self.authID = authID
        self.method = method
        self.params = params
        self.alg = alg.rawValue
    }

    enum CodingKeys: String, CodingKey {
        case uri
        case authID = "auth_id"
        case method, params, alg
    }

    /// The docs' compact serialisation, keys in the order `uri, auth_id, method, params, alg`.
    public func compactJSON() -> [UInt8] {
        func quoted(_ text: String) -> String {
            // Plain ASCII with nothing to escape (the usual route, id and method): JSONEncoder would only add quotes.
            if !text.utf8.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 < 0x20 || $0 >= 0x80 }) {
                return "\"" + text + "\""
            }
            let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
            return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\\/", with: "/")
        }
        let json = "{\"uri\":\(quoted(uri)),\"auth_id\":\(quoted(authID)),\"method\":\(quoted(method)),"
            + "\"params\":\(quoted(params)),\"alg\":\(quoted(alg))}"
        return Array(json.utf8)
    }
}

/// Why a detached JWS was refused. Each case maps to a precise message in the API's envelope.
public enum JWSError: Error, Equatable, Sendable {
    case missing
    case malformed(String)
    case unsupportedAlgorithm(String)
    case uriMismatch(expected: String, signed: String)
    case methodMismatch(expected: String, signed: String)
    case paramsMismatch(expected: String, signed: String)
    case payloadMismatch
    case badSignature

    /// A short stable word for metrics and logs.
    public var reason: String {
        switch self {
        case .missing: return "missing"
        case .malformed: return "malformed"
        case .unsupportedAlgorithm: return "algorithm"
        case .uriMismatch: return "uri"
        case .methodMismatch: return "method"
        case .paramsMismatch: return "params"
        case .payloadMismatch: return "payload"
        case .badSignature: return "signature"
        }
    }

    public var message: String {
        switch self {
        case .missing: return "X-JWS-Signature header is missing"
        case .malformed(let why): return "X-JWS-Signature is malformed: \(why)"
        case .unsupportedAlgorithm(let alg): return "JWS alg '\(alg)' is not accepted on this API"
        case .uriMismatch(let expected, let signed): return "JWS uri '\(signed)' does not match the request path '\(expected)'"
        case .methodMismatch(let expected, let signed): return "JWS method '\(signed)' does not match the request method '\(expected)'"
        case .paramsMismatch(let expected, let signed): return "JWS params '\(signed)' does not match the request query '\(expected)'"
        case .payloadMismatch: return "JWS payload segment does not match the request body"
        case .badSignature: return "JWS signature does not verify for this body and auth_id"
        }
    }
}

/// Detached JWS (RFC 7515 Appendix F): `header..signature`, the payload being the raw HTTP body.
public enum DetachedJWS {
    /// Signs `body` exactly as it will be sent; returns the `X-JWS-Signature` value.
    public static func sign(body: some Sequence<UInt8>, header: JWSHeader, secret: String) -> String {
        let headerSegment = Base64URL.encode(header.compactJSON())
        return sign(body: body, headerSegment: headerSegment, algorithm: JWSAlgorithm(rawValue: header.alg) ?? .hs512, secret: secret)
    }

    static func sign(body: some Sequence<UInt8>, headerSegment: String, algorithm: JWSAlgorithm, secret: String) -> String {
        let signature = algorithm.mac(key: Array(secret.utf8), parts: signingInputParts(headerSegment: Array(headerSegment.utf8), body: body))
        return headerSegment + ".." + Base64URL.encode(signature)
    }

    static func signingInput(headerSegment: String, body: some Sequence<UInt8>) -> [UInt8] {
        signingInputParts(headerSegment: Array(headerSegment.utf8), body: body).flatMap { $0 }
    }

    /// `ASCII(header segment) || '.' || ASCII(base64url(body))`, the JWS signing input, as separate buffers.
    static func signingInputParts(headerSegment: [UInt8], body: some Sequence<UInt8>) -> [[UInt8]] {
        [headerSegment, [UInt8(ascii: ".")], Base64URL.encodedBytes(body)]
    }

    /// Splits and decodes a header value; does not check the signature (the secret depends on `auth_id`).
    public static func parse(_ value: String?) throws(JWSError) -> ParsedJWS {
        guard let value, !value.isEmpty else { throw .missing }
        // One copy of the UTF-8 bytes; the segments are slices of it until decoded.
        let parts = Array(value.utf8).split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .malformed("expected '<header>..<signature>' (3 dot-separated parts, got \(parts.count))") }
        let headerSegment = Array(parts[0])
        let header: JWSHeader
        if let known = DecodedHeaders.shared.header(for: headerSegment) {
            header = known
        } else {
            guard let headerBytes = Base64URL.decode(bytes: parts[0]), !headerBytes.isEmpty else {
                throw .malformed("header segment is not base64url")
            }
            guard let decoded = JWSHeader.decode(json: headerBytes) else {
                throw .malformed("header is not a JSON object with uri, auth_id, method, params and alg")
            }
            header = decoded
            DecodedHeaders.shared.remember(decoded, for: headerSegment)
        }
        guard let signature = Base64URL.decode(bytes: parts[2]), !signature.isEmpty else {
            throw .malformed("signature segment is not base64url")
        }
        let payload: [UInt8]? = parts[1].isEmpty ? nil : Base64URL.decode(bytes: parts[1])
        if !parts[1].isEmpty, payload == nil { throw .malformed("payload segment is not base64url") }
        return ParsedJWS(headerSegmentBytes: headerSegment, header: header, payload: payload, signature: signature)
    }

    /// Decoded protected headers by their exact segment. A partner's header is the same on every call to one
    /// route, and decoding it (base64url, then JSON) was a third of a signature check; the mapping is a pure
    /// function of the bytes, so a hit answers exactly what decoding would. Bounded: emptied when full.
    final class DecodedHeaders: Sendable {
        static let shared = DecodedHeaders(capacity: 1024)
        let capacity: Int
        private let headers = Mutex<[[UInt8]: JWSHeader]>([:])

        init(capacity: Int) { self.capacity = capacity }

        func header(for segment: [UInt8]) -> JWSHeader? { headers.withLock { $0[segment] } }

        func remember(_ header: JWSHeader, for segment: [UInt8]) {
            headers.withLock { headers in
                if headers.count >= capacity { headers.removeAll(keepingCapacity: true) }
                headers[segment] = header
            }
        }

        var count: Int { headers.withLock { $0.count } }
    }
}

/// A parsed, not yet verified, detached JWS.
public struct ParsedJWS: Sendable {
    /// The header segment exactly as received: the signature covers these bytes, never a re-serialisation.
    public var headerSegment: String { String(decoding: headerSegmentBytes, as: UTF8.self) }
    let headerSegmentBytes: [UInt8]
    public let header: JWSHeader
    /// Present only for a non-detached token; it must then equal the body.
    public let payload: [UInt8]?
    public let signature: [UInt8]

    /// Checks everything the header binds (algorithm, route, method, query) and then the HMAC, in constant time.
    public func verify(
        body: [UInt8], secret: String, algorithm: JWSAlgorithm, method: String, path: String, query: String
    ) throws(JWSError) {
        guard header.alg == algorithm.rawValue else { throw .unsupportedAlgorithm(header.alg) }
        guard header.uri == path else { throw .uriMismatch(expected: path, signed: header.uri) }
        guard header.method == method || header.method.uppercased() == method.uppercased() else {
            throw .methodMismatch(expected: method, signed: header.method)
        }
        guard header.params == query else { throw .paramsMismatch(expected: query, signed: header.params) }
        if let payload, payload != body { throw .payloadMismatch }
        let expected = algorithm.mac(
            key: Array(secret.utf8), parts: DetachedJWS.signingInputParts(headerSegment: headerSegmentBytes, body: body))
        guard ConstantTime.equals(expected, signature) else { throw .badSignature }
    }
}
