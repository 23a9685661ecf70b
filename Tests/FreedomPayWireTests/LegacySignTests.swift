import Testing

@testable import FreedomPayWire

/// card-api.md §1.4: `Sign = hex(sha256(raw body + secret))`.
@Suite struct LegacySignTests {
    static let moneyBody = #"{"cardholder_name":"IVANOV IVAN IVANOVICH","phone":79651234567,"product_code":1,"card_id":555}"#
    static let kgBody = #"{"cardholder_name":"IVANOV IVAN IVANOVICH","phone":"79651234567","product_code":"1","card_id":555}"#
    static let secret = "some_secret_string"

    @Test func composedVectors() {
        #expect(LegacySign.sign(body: Array(Self.moneyBody.utf8), secret: Self.secret)
            == "e052b3bd72f1653a556e0209b011c265a64a3ca352653f6f54767d3fafd62e74")
        #expect(LegacySign.sign(body: Array(Self.kgBody.utf8), secret: Self.secret)
            == "9c90a4ddb3eca6808406c4febbcd1b07099895b145419520ed7a52165ba755e9")
    }

    /// The docs print Sign values that do not match their own examples; they must not verify.
    @Test func printedDocValuesDoNotVerify() {
        #expect(!LegacySign.verify(body: Array(Self.moneyBody.utf8), secret: Self.secret,
                                   sign: "4f6d4bc08ceac4ffdbd6eec810dce91928132ea9c63b52a3b23f74be98b766b4"))
        #expect(!LegacySign.verify(body: Array(Self.kgBody.utf8), secret: Self.secret,
                                   sign: "4f64cb8c08eca4cffdbd6ee810dce21928132ea96c3b52a3b32f74be98b766b4"))
    }

    @Test func verifyAcceptsLowerAndUpperCaseHex() {
        let sign = "e052b3bd72f1653a556e0209b011c265a64a3ca352653f6f54767d3fafd62e74"
        #expect(LegacySign.verify(body: Array(Self.moneyBody.utf8), secret: Self.secret, sign: sign))
        #expect(LegacySign.verify(body: Array(Self.moneyBody.utf8), secret: Self.secret, sign: sign.uppercased()))
    }

    @Test func rejectsTamperedBodyWrongSecretAndTruncatedSign() {
        let body = Array(Self.moneyBody.utf8)
        let sign = LegacySign.sign(body: body, secret: Self.secret)
        #expect(!LegacySign.verify(body: body + [0x20], secret: Self.secret, sign: sign))
        #expect(!LegacySign.verify(body: body, secret: "other", sign: sign))
        #expect(!LegacySign.verify(body: body, secret: Self.secret, sign: String(sign.dropLast())))
        #expect(!LegacySign.verify(body: body, secret: Self.secret, sign: ""))
        // The secret is appended, never prepended or separated.
        #expect(LegacySign.sign(body: body, secret: Self.secret) != LegacySign.sign(body: Array((Self.secret + Self.moneyBody).utf8), secret: ""))
        #expect(LegacySign.sign(body: body, secret: Self.secret) == LegacySign.sign(body: Array((Self.moneyBody + Self.secret).utf8), secret: ""))
    }
}
