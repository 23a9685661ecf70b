import Crypto

/// The older Card API scheme: `Sign = hex(sha256(raw body + secret))`, with `Request-Id` and `Auth-Id` headers.
public enum LegacySign {
    public static let requestIDHeader = "Request-Id"
    public static let authIDHeader = "Auth-Id"
    public static let signHeader = "Sign"

    public static func sign(body: some Sequence<UInt8>, secret: String) -> String {
        var hasher = SHA256()
        hasher.update(data: Array(body))
        hasher.update(data: Array(secret.utf8))
        return Hex.encode(hasher.finalize())
    }

    /// Accepts upper- or lower-case hex; the comparison itself runs in constant time.
    public static func verify(body: [UInt8], secret: String, sign: String) -> Bool {
        ConstantTime.equals(Array(self.sign(body: body, secret: secret).utf8), Array(sign.lowercased().utf8))
    }
}
