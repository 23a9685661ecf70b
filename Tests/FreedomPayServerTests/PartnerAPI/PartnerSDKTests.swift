import Foundation
import FreedomPayClient
import FreedomPayCore
import FreedomPayWire
import Testing

@testable import FreedomPayServer

/// The client SDK against the server over a real socket.
@Suite struct PartnerSDKTests {
    @Test func sdkDrivesRatesOnboardingAndAWalletOverHTTP() async throws {
        try await withPartnerServer { server in
            let partner = try await server.createPartner()
            try await server.withLiveServer { baseURL in
                let api = PartnerAPIClient(baseURL: baseURL, authID: partner.authID, secret: partner.secret)

                let exact = Decimal(string: "441.507123456789")!
                _ = try await api.addRates([PartnerRate(currencyFrom: "USD", currencyTo: "KZT", rate: exact)])
                #expect(try await api.rate(RatesQuery(currencyFrom: "USD", currencyTo: "KZT")).rate == exact)
                #expect(try await api.rates().count == 1)

                let company = PartnerCompany(
                    companyID: "C-1", name: "TOO Example", bin: "123456789012",
                    address: PartnerAddress(country: "KAZ", postalCode: "050000", addressLine1: "Almaty", addressLine2: "Abay", addressLine3: "10"))
                let added = try await api.addClient(AddClientRequest(requestID: "sdk-1", company: company))
                let clientID = try #require(added.clientID)
                #expect(added.requestStatus == .success)
                let user = try await api.addClientUser(AddClientUserRequest(
                    requestID: "sdk-2", clientID: clientID,
                    userInfo: PartnerPerson(firstName: "Aigerim", lastName: "Sadykova", phone: "77011234567", email: "a@example.kz")))
                #expect(user.userID != nil && user.errorCode == 0)
                let product = try await api.addClientProduct(AddClientProductRequest(
                    requestID: "sdk-3", clientID: clientID, product: PartnerProduct(productID: 11001, fields: ["serial_number": .string("SN-1")])))
                #expect(product.product?.productID == 11001)
                #expect(try await api.productsRequestStatus(requestID: "sdk-3").product?.terminalID == product.product?.terminalID)
                let flat = try await api.addClient(AddClientRequest(
                    requestID: "sdk-4", flat: company, ceo: PartnerPerson(firstName: "I", lastName: "I", phone: "77017777777", email: "c@example.kz")))
                #expect(flat.userID != nil)

                _ = try await api.addWallet(WalletAddRequest(requestID: "sdk-5", country: "KAZ", currency: "KZT", identifier: "77011234567"))
                let topped = try await api.walletTopUp(WalletMoneyRequest(requestID: "sdk-6", identifier: "77011234567", amount: Decimal(string: "150.75")!))
                #expect(topped.balance == Decimal(string: "150.75")!)
                #expect(try await api.walletBalance(identifier: "77011234567").balance == Decimal(string: "150.75")!)
                #expect(try await api.walletStatement(WalletStatementRequest(identifier: "77011234567")).first?.type == "emoney_buy")
                do {
                    _ = try await api.addWallet(WalletAddRequest(requestID: "sdk-7", country: "KAZ", currency: "KZT", identifier: "77011234567"))
                    Issue.record("a second wallet with the same identifier was accepted")
                } catch FreedomPayClientError.partnerAPI(_, let code, _) {
                    #expect(code == "1003")
                }
                #expect(try await api.walletRequestStatus(requestID: "sdk-7").requestStatus == .error)
                #expect(try await api.walletInfo(identifier: "77011234567")?.state == "active")
            }
        }
    }
}
