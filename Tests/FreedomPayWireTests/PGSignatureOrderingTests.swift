import Testing

@testable import FreedomPayWire

/// merchant-api.md §1.3 caveat: arrays over ten elements sort differently under the docs' PHP helper,
/// a recursive byte-order sort and PHP's numeric `ksort`. Clients sign with the helper; the server accepts all three.
@Suite struct PGSignatureOrderingTests {
    /// Twelve receipt positions `0`…`11`, each with one leaf `itemN`.
    static let parameters: [PGParameter] = [
        PGParameter("pg_merchant_id", "545454"),
        PGParameter("pg_receipt_positions", .nested((0..<12).map { PGParameter(String($0), .nested([PGParameter("name", "item\($0)")])) })),
        PGParameter("pg_salt", "s"),
    ]

    static func joined(_ items: [Int]) -> String {
        (["init_payment.php", "545454"] + items.map { "item\($0)" } + ["s", "k"]).joined(separator: ";")
    }

    @Test func docsHelperOrder() {
        #expect(PGSignature.signingString(script: "init_payment.php", parameters: Self.parameters, secret: "k", ordering: .docsHelper)
            == Self.joined([0, 10, 1, 11, 2, 3, 4, 5, 6, 7, 8, 9]))
    }

    @Test func recursiveByteOrder() {
        #expect(PGSignature.signingString(script: "init_payment.php", parameters: Self.parameters, secret: "k", ordering: .recursiveByteOrder)
            == Self.joined([0, 1, 10, 11, 2, 3, 4, 5, 6, 7, 8, 9]))
    }

    @Test func recursiveNumericOrder() {
        #expect(PGSignature.signingString(script: "init_payment.php", parameters: Self.parameters, secret: "k", ordering: .recursiveNumeric)
            == Self.joined(Array(0..<12)))
    }

    @Test func signUsesTheDocsHelperAndVerifyAcceptsAllThree() {
        let signatures = PGSignature.Ordering.allCases.map {
            PGSignature.sign(script: "init_payment.php", parameters: Self.parameters, secret: "k", ordering: $0)
        }
        #expect(Set(signatures).count == 3)
        #expect(PGSignature.sign(script: "init_payment.php", parameters: Self.parameters, secret: "k") == signatures[0])
        for signature in signatures {
            #expect(PGSignature.verify(script: "init_payment.php", parameters: Self.parameters, secret: "k", signature: signature))
        }
        // Any other permutation of the same values is still refused.
        let reversedOrder = [PGParameter("a", "545454")]
            + (0..<12).reversed().enumerated().map { PGParameter("b" + String(100 + $0.offset), "item\($0.element)") }
            + [PGParameter("c", "s")]
        #expect(PGSignature.signingString(script: "init_payment.php", parameters: reversedOrder, secret: "k") == Self.joined(Array((0..<12).reversed())))
        let reversed = PGSignature.sign(script: "init_payment.php", parameters: reversedOrder, secret: "k")
        #expect(!PGSignature.verify(script: "init_payment.php", parameters: Self.parameters, secret: "k", signature: reversed))
    }

    /// Through the form parser: the same twelve positions sent in bracket notation.
    @Test func twelvePositionsFromForm() {
        let form = "pg_merchant_id=545454&" + (0..<12).map { "pg_receipt_positions[\($0)][name]=item\($0)" }.joined(separator: "&") + "&pg_salt=s"
        #expect(PGForm.parse(urlEncoded: form) == Self.parameters)
    }
}
