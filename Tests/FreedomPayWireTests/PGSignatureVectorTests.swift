import Foundation
import Testing

@testable import FreedomPayWire

/// merchant-api.md §1.3 vectors V1–V8 and the composed vectors next to the endpoint examples in §3.
@Suite struct PGSignatureVectorTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let script: String
        let parameters: [PGParameter]
        let secret: String
        let joined: String
        let signature: String
        var testDescription: String { "\(script) → \(signature)" }

        init(_ script: String, _ fields: [(String, String)], _ secret: String, _ joined: String, _ signature: String) {
            self.script = script
            self.parameters = fields.map { PGParameter($0.0, $0.1) }
            self.secret = secret
            self.joined = joined
            self.signature = signature
        }

        init(_ script: String, tree: [PGParameter], _ secret: String, _ joined: String, _ signature: String) {
            self.script = script
            self.parameters = tree
            self.secret = secret
            self.joined = joined
            self.signature = signature
        }
    }

    static let v4Fields: [(String, String)] = [
        ("pg_merchant_id", "545454"), ("pg_order_id", "ORD-1001"), ("pg_amount", "1500"), ("pg_currency", "KZT"),
        ("pg_description", "Order ORD-1001"), ("pg_salt", "k3Jd9sLq"), ("pg_result_url", "https://shop.example/pay/result"),
        ("pg_language", "ru"),
    ]

    static let flatVectors: [Vector] = [
        Vector("init_payment.php", [("pg_amount", "25"), ("pg_description", "Order description"), ("pg_merchant_id", "123456"),
                                    ("pg_order_id", "23"), ("pg_salt", "some_random_string")], "test_secret_key",
               "init_payment.php;25;Order description;123456;23;some_random_string;test_secret_key", "1d602ce1af2d04738e5840ff8562963f"),
        Vector("add", [("pg_merchant_id", "123456"), ("pg_back_link", "http://site.kz/back"), ("pg_post_link", "http://site.kz/post"),
                       ("pg_salt", "some random string"), ("pg_user_id", "1234")], "test_secret_key",
               "add;http://site.kz/back;123456;http://site.kz/post;some random string;1234;test_secret_key", "337282103cc59ce0ecd3e21b8942ce06"),
        Vector("init_payment.php", v4Fields, "Sup3rSecret",
               "init_payment.php;1500;KZT;Order ORD-1001;ru;545454;ORD-1001;https://shop.example/pay/result;k3Jd9sLq;Sup3rSecret",
               "7be2793f4556573eb740dfd5d410cad7"),
        Vector("result", [("pg_status", "ok"), ("pg_description", "Order accepted"), ("pg_salt", "Qw12Er")], "Sup3rSecret",
               "result;Order accepted;Qw12Er;ok;Sup3rSecret", "6ab4da95516bcccd360435bcaeceb11b"),
        Vector("result", [("pg_status", "ok"), ("pg_description", "Order paid"), ("pg_salt", "abc123")], "secret",
               "result;Order paid;abc123;ok;secret", "102a8d68d1a3464b9ff00f93b24f2a21"),
    ] + ComposedVectors.all

    @Test(arguments: flatVectors)
    func vector(_ vector: Vector) {
        #expect(PGSignature.signingString(script: vector.script, parameters: vector.parameters, secret: vector.secret) == vector.joined)
        #expect(PGSignature.sign(script: vector.script, parameters: vector.parameters, secret: vector.secret) == vector.signature)
        #expect(PGSignature.verify(script: vector.script, parameters: vector.parameters, secret: vector.secret, signature: vector.signature))
        // pg_sig itself is never part of what is signed.
        let withSig = vector.parameters + [PGParameter("pg_sig", vector.signature)]
        #expect(PGSignature.verify(script: vector.script, parameters: withSig, secret: vector.secret, signature: vector.signature))
    }

    /// V1: a nested parameter occupies its parent's sorted position; its children are sorted too.
    @Test func v1NestedTree() {
        let tree = [
            PGParameter("pg_t_param", "value3"), PGParameter("pg_a_param", "value1"),
            PGParameter("pg_z_param", .nested([PGParameter("pg_q_subparam", "subvalue2"), PGParameter("pg_m_subparam", "subvalue1")])),
            PGParameter("pg_b_param", "value2"), PGParameter("pg_salt", "9imM909TH820jwk387"),
        ]
        let joined = "script.php;value1;value2;9imM909TH820jwk387;value3;subvalue1;subvalue2;mypasskey"
        #expect(PGSignature.signingString(script: "script.php", parameters: tree, secret: "mypasskey") == joined)
        #expect(PGSignature.sign(script: "script.php", parameters: tree, secret: "mypasskey") == "a8a4d5a9188f24038a14a4d65c387bf7")
    }

    @Test func v1ThroughXMLParser() throws {
        let xml = "<request><pg_t_param>value3</pg_t_param><pg_a_param>value1</pg_a_param><pg_z_param>"
            + "<pg_q_subparam>subvalue2</pg_q_subparam><pg_m_subparam>subvalue1</pg_m_subparam></pg_z_param>"
            + "<pg_b_param>value2</pg_b_param><pg_salt>9imM909TH820jwk387</pg_salt></request>"
        let document = try #require(PGXMLParser.parse(xml))
        #expect(document.root == "request")
        #expect(PGSignature.sign(script: "script.php", parameters: document.parameters, secret: "mypasskey") == "a8a4d5a9188f24038a14a4d65c387bf7")
    }

    static let v5Joined = "init_payment.php;1500;KZT;Order ORD-1001;ru;545454;ORD-1001;2;Mouse pad;500;3;1;Cable;500;0;"
        + "https://shop.example/pay/result;k3Jd9sLq;Sup3rSecret"

    /// V5: receipt positions in bracket notation, through the form parser.
    @Test func v5ReceiptPositionsThroughForm() {
        let positions = "pg_receipt_positions[0][count]=2&pg_receipt_positions[0][name]=Mouse+pad&pg_receipt_positions[0][tax_type]=3"
            + "&pg_receipt_positions[0][price]=500&pg_receipt_positions[1][count]=1&pg_receipt_positions[1][name]=Cable"
            + "&pg_receipt_positions[1][tax_type]=0&pg_receipt_positions[1][price]=500"
        let form = "pg_merchant_id=545454&pg_order_id=ORD-1001&pg_amount=1500&pg_currency=KZT&pg_description=Order%20ORD-1001"
            + "&pg_language=ru&pg_result_url=https%3A%2F%2Fshop.example%2Fpay%2Fresult&\(positions)&pg_salt=k3Jd9sLq"
        let parameters = PGForm.parse(urlEncoded: form)
        #expect(PGSignature.signingString(script: "init_payment.php", parameters: parameters, secret: "Sup3rSecret") == Self.v5Joined)
        #expect(PGSignature.sign(script: "init_payment.php", parameters: parameters, secret: "Sup3rSecret") == "eb31d83ae4dc0c783aa053faa78e29d4")
        for ordering in PGSignature.Ordering.allCases {
            #expect(PGSignature.sign(script: "init_payment.php", parameters: parameters, secret: "Sup3rSecret", ordering: ordering)
                == "eb31d83ae4dc0c783aa053faa78e29d4")
        }
    }

    @Test func v5ReceiptPositionsThroughXML() throws {
        let xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?><request><pg_merchant_id>545454</pg_merchant_id><pg_order_id>ORD-1001</pg_order_id>"
            + "<pg_amount>1500</pg_amount><pg_currency>KZT</pg_currency><pg_description>Order ORD-1001</pg_description>"
            + "<pg_language>ru</pg_language><pg_result_url>https://shop.example/pay/result</pg_result_url><pg_receipt_positions>"
            + "<position><count>2</count><name>Mouse pad</name><tax_type>3</tax_type><price>500</price></position>"
            + "<position><count>1</count><name>Cable</name><tax_type>0</tax_type><price>500</price></position>"
            + "</pg_receipt_positions><pg_salt>k3Jd9sLq</pg_salt></request>"
        let document = try #require(PGXMLParser.parse(xml))
        #expect(PGSignature.signingString(script: "init_payment.php", parameters: document.parameters, secret: "Sup3rSecret") == Self.v5Joined)
        #expect(PGSignature.sign(script: "init_payment.php", parameters: document.parameters, secret: "Sup3rSecret") == "eb31d83ae4dc0c783aa053faa78e29d4")
    }

    /// V8: repeated/nested XML elements from a status response.
    @Test func v8NestedXMLResponse() throws {
        let xml = "<response><pg_status>ok</pg_status><pg_refund_payments><pg_refund_payment><pg_payment_id>9</pg_payment_id>"
            + "<pg_amount>-10</pg_amount></pg_refund_payment></pg_refund_payments><pg_salt>s</pg_salt></response>"
        let document = try #require(PGXMLParser.parse(xml))
        #expect(PGSignature.signingString(script: "get_status3.php", parameters: document.parameters, secret: "k") == "get_status3.php;-10;9;s;ok;k")
        #expect(PGSignature.sign(script: "get_status3.php", parameters: document.parameters, secret: "k") == "feba8f6806dce94f650173e62061a3d6")
    }

    /// Repeated same-name elements keep message order (cardstorage/list answers, §3.8).
    @Test func repeatedElementsKeepMessageOrder() throws {
        let xml = "<response><card><pg_card_token>b</pg_card_token><pg_card_hash>2</pg_card_hash></card>"
            + "<card><pg_card_token>a</pg_card_token><pg_card_hash>1</pg_card_hash></card><pg_salt>s</pg_salt></response>"
        let document = try #require(PGXMLParser.parse(xml))
        #expect(PGSignature.signingString(script: "list", parameters: document.parameters, secret: "k") == "list;2;b;1;a;s;k")
    }

    @Test func verifyAcceptsUpperCaseHexAndRejectsTampering() {
        let vector = Self.flatVectors[2]
        #expect(PGSignature.verify(script: vector.script, parameters: vector.parameters, secret: vector.secret, signature: vector.signature.uppercased()))
        var tampered = vector.parameters
        tampered[2] = PGParameter("pg_amount", "1501")
        #expect(!PGSignature.verify(script: vector.script, parameters: tampered, secret: vector.secret, signature: vector.signature))
        #expect(!PGSignature.verify(script: vector.script, parameters: vector.parameters + [PGParameter("extra", "")], secret: vector.secret, signature: vector.signature))
        #expect(!PGSignature.verify(script: vector.script, parameters: vector.parameters, secret: "PayoutSecret", signature: vector.signature))
        #expect(!PGSignature.verify(script: "init_payment", parameters: vector.parameters, secret: vector.secret, signature: vector.signature))
        #expect(!PGSignature.verify(script: vector.script, parameters: vector.parameters, secret: vector.secret, signature: String(vector.signature.dropLast())))
    }

    /// Empty values stay as empty strings (`;;`).
    @Test func emptyValuesAreKept() {
        let parameters = [PGParameter("pg_b", ""), PGParameter("pg_a", "x"), PGParameter("pg_c", "")]
        #expect(PGSignature.signingString(script: "s", parameters: parameters, secret: "k") == "s;x;;;k")
    }
}
