import FreedomPayCore
import FreedomPayWire
import Testing

@Suite struct ClientValidationTests {
    static let address = ClientAddress(country: "KAZ", postalCode: "050000", addressLine1: "Almaty", addressLine2: "Abaya ave", addressLine3: "10, apt 5")
    static let pdf = "JVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5ndGggNiAwIFI+PgpzdHJlYW0K"

    static func wallet() -> ClientData {
        ClientData(
            phone: 77011234567, type: 1, resident: 1, firstName: "ASEL", lastName: "NURLANOVA", birthdate: "1994-07-12",
            country: "KAZ", personID: "940712400123", language: "ru", document: pdf, address1: address, address2: address,
            identificationInfo: IdentificationInfo(idnDate: "2025-03-01T09:00:00+05:00", identifiedBy: "partner_kyc"))
    }

    static func refusal(_ client: ClientData, product: Int = 1000) -> String? {
        do {
            _ = try ClientValidation.validate(ClientAddRequest(requestID: "r", productID: product, client: client))
            return nil
        } catch {
            if case .validation(let message) = error { return message }
            return "\(error)"
        }
    }

    @Test func documentedExampleIsValid() {
        #expect(Self.refusal(Self.wallet()) == nil)
    }

    @Test func product1000RequiresKYCFieldsOthersDoNot() {
        let fields: [(String, WritableKeyPath<ClientData, String?>)] = [
            ("client.country", \.country), ("client.person_id", \.personID), ("client.document", \.document),
        ]
        for (name, path) in fields {
            var client = Self.wallet()
            client[keyPath: path] = nil
            #expect(Self.refusal(client) == "field '\(name)' is required for product_id 1000")
            #expect(Self.refusal(client, product: 2000) == nil)
        }
        var noAddress = Self.wallet()
        noAddress.address2 = nil
        #expect(Self.refusal(noAddress) == "field 'client.address2' is required for product_id 1000")
        #expect(Self.refusal(noAddress, product: 3000) == nil)
    }

    @Test func eachBadFieldIsNamed() {
        var client = Self.wallet()
        client.firstName = "Асель"
        #expect(Self.refusal(client)?.contains("'client.first_name'") == true)
        client = Self.wallet(); client.phone = 123
        #expect(Self.refusal(client)?.contains("'client.phone'") == true)
        client = Self.wallet(); client.type = 4
        #expect(Self.refusal(client)?.contains("'client.type'") == true)
        client = Self.wallet(); client.resident = 0
        #expect(Self.refusal(client)?.contains("'client.resident'") == true)
        client = Self.wallet(); client.birthdate = "1994-02-30"
        #expect(Self.refusal(client)?.contains("'client.birthdate'") == true)
        client = Self.wallet(); client.email = "not-an-email"
        #expect(Self.refusal(client)?.contains("'client.email'") == true)
        client = Self.wallet(); client.country = "KZ"
        #expect(Self.refusal(client)?.contains("'client.country'") == true)
        client = Self.wallet(); client.document = "aGVsbG8="  // "hello": not a PDF
        #expect(Self.refusal(client)?.contains("'client.document'") == true)
        client = Self.wallet(); client.address1?.postalCode = ""
        #expect(Self.refusal(client)?.contains("'client.address1.postal_code'") == true)
        client = Self.wallet(); client.identificationInfo?.idnDate = "yesterday"
        #expect(Self.refusal(client)?.contains("'client.identification_info.idn_date'") == true)
        #expect(Self.refusal(Self.wallet(), product: 999)?.contains("'product_id'") == true)
    }
}
