import Foundation
import Testing

@testable import FreedomPayWire

@Suite struct ScriptNameTests {
    @Test(arguments: [
        ("https://api.freedompay.kz/init_payment.php", "init_payment.php"),
        ("/api/reg2reg", "reg2reg"),
        ("/v1/merchant/545454/cardstorage/add", "add"),
        ("/g2g/status_v2", "status_v2"),
        ("https://shop.example/pay/result", "result"),
        ("https://shop.example/pay/result.php?order=1&x=/y", "result.php"),
        ("/api/reg2reg?pg_merchant_id=1", "reg2reg"),
        ("https://shop.example/pay/", ""),
        ("https://shop.example/pay/?a=b", ""),
        ("/get_status3.php#frag", "get_status3.php"),
        ("init_payment.php", "init_payment.php"),
    ])
    func scriptName(url: String, expected: String) {
        #expect(PGSignature.scriptName(of: url) == expected)
    }
}

@Suite struct Base64URLTests {
    @Test func encodesWithoutPaddingInTheURLAlphabet() {
        #expect(Base64URL.encode([UInt8]()) == "")
        #expect(Base64URL.encode([0x66]) == "Zg")
        #expect(Base64URL.encode([0x66, 0x6f]) == "Zm8")
        #expect(Base64URL.encode([0x66, 0x6f, 0x6f]) == "Zm9v")
        #expect(Base64URL.encode([0xfb, 0xff, 0xbf]) == "-_-_")
        #expect(Base64URL.encode([0xff, 0xfe]) == "__4")
    }

    @Test func decodesWithOrWithoutPadding() {
        #expect(Base64URL.decode("Zg") == [0x66])
        #expect(Base64URL.decode("Zg==") == [0x66])
        #expect(Base64URL.decode("Zm8") == [0x66, 0x6f])
        #expect(Base64URL.decode("Zm8=") == [0x66, 0x6f])
        #expect(Base64URL.decode("-_-_") == [0xfb, 0xff, 0xbf])
        #expect(Base64URL.decode("") == [])
    }

    @Test func refusesTheStandardAlphabetAndImpossibleLengths() {
        #expect(Base64URL.decode("+/+/") == nil)
        #expect(Base64URL.decode("Zm9v!") == nil)
        #expect(Base64URL.decode("Z") == nil)
        #expect(Base64URL.decode("Zm9vY") == nil)
        #expect(Base64URL.decode("Zg=x") == nil)
        #expect(Base64URL.decode("Zm 9v") == nil)
    }

    @Test func roundTripsEveryLength() {
        for length in 0..<66 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 250) }
            let encoded = Base64URL.encode(bytes)
            #expect(!encoded.contains("=") && !encoded.contains("+") && !encoded.contains("/"))
            #expect(Base64URL.decode(encoded) == bytes)
        }
    }
}

@Suite struct PGFormTests {
    @Test func bracketNotationBuildsATree() {
        let parsed = PGForm.parse(urlEncoded: "pg_amount=10&pg_receipt_positions[0][name]=Mouse+pad&pg_receipt_positions[0][price]=5"
            + "&pg_receipt_positions[1][name]=Cable%20%26%20plug&param_2[subParam_1]=x&empty=&flag")
        #expect(parsed == [
            PGParameter("pg_amount", "10"),
            PGParameter("pg_receipt_positions", .nested([
                PGParameter("0", .nested([PGParameter("name", "Mouse pad"), PGParameter("price", "5")])),
                PGParameter("1", .nested([PGParameter("name", "Cable & plug")])),
            ])),
            PGParameter("param_2", .nested([PGParameter("subParam_1", "x")])),
            PGParameter("empty", ""),
            PGParameter("flag", ""),
        ])
        #expect(PGForm.value("pg_amount", in: parsed) == "10")
        #expect(PGForm.value("pg_receipt_positions", in: parsed) == nil)
    }

    @Test func percentEncodedBracketsParseTheSame() {
        #expect(PGForm.parse(urlEncoded: "a%5B0%5D%5Bb%5D=1") == PGForm.parse(urlEncoded: "a[0][b]=1"))
    }

    @Test func encodeParseRoundTrip() {
        let tree = [
            PGParameter("pg_description", "Order #1 & co; 50% off = ok?"),
            PGParameter("pg_receipt_positions", .nested([
                PGParameter("0", .nested([PGParameter("name", "Коврик"), PGParameter("price", "500")])),
                PGParameter("1", .nested([PGParameter("name", "a+b"), PGParameter("price", "")])),
            ])),
            PGParameter("pg_result_url", "https://shop.example/pay/result?x=1&y=2"),
        ]
        let encoded = PGForm.encode(tree)
        #expect(!encoded.contains(" ") && !encoded.contains("#") && encoded.components(separatedBy: "&").count == 6)
        #expect(PGForm.parse(urlEncoded: encoded) == tree)
        #expect(PGForm.parameters(fields: [("pg_receipt_positions[0][name]", "Коврик"), ("pg_receipt_positions[0][price]", "500")])
            == [PGParameter("pg_receipt_positions", .nested([PGParameter("0", .nested([PGParameter("name", "Коврик"), PGParameter("price", "500")]))]))])
    }

    @Test func xmlWriterAndParserRoundTrip() throws {
        let tree = [
            PGParameter("pg_status", "ok"),
            PGParameter("pg_description", "<b>\"Tom\" & 'Jerry'</b>"),
            PGParameter("pg_refund_payments", .nested([PGParameter("pg_refund_payment", .nested([PGParameter("pg_amount", "-10")]))])),
        ]
        let document = try #require(PGXMLParser.parse(PGXML.document(tree)))
        #expect(document.root == "response")
        #expect(document.parameters == tree)
        #expect(PGXMLParser.parse("<response><a>1</a>") == nil)
    }

    @Test func signedDocumentVerifies() throws {
        let text = PGXML.signedDocument(script: "cancel.php", parameters: [PGParameter("pg_status", "ok")], secret: "k", salt: "abc")
        let document = try #require(PGXMLParser.parse(text))
        let signature = try #require(PGForm.value("pg_sig", in: document.parameters))
        #expect(PGForm.value("pg_salt", in: document.parameters) == "abc")
        #expect(signature == PGSignature.sign(script: "cancel.php", parameters: [PGParameter("pg_status", "ok"), PGParameter("pg_salt", "abc")], secret: "k"))
        #expect(PGSignature.verify(script: "cancel.php", parameters: document.parameters, secret: "k", signature: signature))
    }
}

@Suite struct WireDateTests {
    @Test func parsesRFC3339WithZoneOffsetAndFraction() throws {
        let zulu = try #require(WireDate.parseRFC3339("2019-08-24T14:15:22Z"))
        #expect(zulu.timeIntervalSince1970 == 1_566_656_122)
        #expect(WireDate.parseRFC3339("2019-08-24T20:15:22+06:00") == zulu)
        let fractional = try #require(WireDate.parseRFC3339("2019-08-24T14:15:22.250Z"))
        #expect(abs(fractional.timeIntervalSince(zulu) - 0.25) < 0.001)
        #expect(WireDate.parseRFC3339("2019-08-24 14:15:22") == nil)
        #expect(WireDate.parseRFC3339("yesterday") == nil)
    }

    @Test func rendersRFC3339WithColonOffset() throws {
        let date = Date(timeIntervalSince1970: 1_566_656_122)
        #expect(WireDate.rfc3339(date, timeZone: try #require(TimeZone(secondsFromGMT: 5 * 3600))) == "2019-08-24T19:15:22+05:00")
        let utc = WireDate.rfc3339(date, timeZone: try #require(TimeZone(identifier: "UTC")))
        #expect(WireDate.parseRFC3339(utc) == date)
    }

    @Test func plainFormatRoundTrip() throws {
        let almaty = try #require(TimeZone(secondsFromGMT: 5 * 3600))
        let date = try #require(WireDate.parsePlain("2022-05-01 12:01:15", timeZone: almaty))
        #expect(date.timeIntervalSince1970 == 1_651_388_475)
        #expect(WireDate.plain(date, timeZone: almaty) == "2022-05-01 12:01:15")
    }

    @Test(arguments: ["2022-02-30 10:00:00", "2022-05-01T12:01:15", "2022-05-01 12:01", "2022-5-1 12:01:15", "2022-05-01 25:00:00", ""])
    func plainFormatRejects(_ text: String) {
        #expect(WireDate.parsePlain(text, timeZone: TimeZone(identifier: "UTC")!) == nil)
    }
}
