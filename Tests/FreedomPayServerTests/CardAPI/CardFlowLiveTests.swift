import Foundation
import FreedomPayClient
import FreedomPayCore
import FreedomPayWire
import Testing

@testable import FreedomPayServer

/// One cardholder's whole story through the client SDK over real HTTP.
@Suite struct CardFlowLiveTests {
    @Test func clientCardLifecycleThroughTheSDK() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.cleanUp() } }
        let partner = try await server.createPartner()
        try await server.withLiveServer { baseURL in
            let api = CardAPIClient(baseURL: baseURL, authID: partner.authID, secret: partner.secret)
            let added = try await api.addClient(ClientAddRequest(requestID: CardBodies.uuid(), productID: 2000, client: ClientData(
                phone: 77077070707, type: 1, resident: 1, firstName: "ASEL", lastName: "NURLANOVA")))
            let clientID = try #require(added.clientID)

            let issueID = CardBodies.uuid()
            // A plastic card, so that it starts issued and activation is a real step (virtual cards start activated).
            let issued = try await api.issuePlasticCard(IssuePlasticCardRequest(
                requestID: issueID, productID: 2000, clientID: clientID, embossedName: "ASEL NURLANOVA"))
            #expect(issued.requestStatus == .success)
            let status = try await api.requestStatus(requestID: issueID)
            #expect(status.requestStatus == .success)
            #expect(status.clientID == clientID)
            let cardID = try #require(status.cards?.first?.cardID)

            #expect(try await api.cardInfo(cardID: cardID).cardStatus == CardStatus.issued.rawValue)
            #expect(try await api.activateCard(cardID: cardID).requestStatus == .success)
            #expect(try await api.cardInfo(cardID: cardID).cardStatus == CardStatus.activated.rawValue)
            await #expect(throws: FreedomPayClientError.self) { try await api.activateCard(cardID: cardID) }

            #expect(try await api.setPIN(cardID: cardID, pin: "1357").requestStatus == .success)
            // Block through the legacy Sign variant: its Request-Id may never be reused, not even for a retry.
            let legacy = CardAPIClient(baseURL: baseURL, authID: partner.authID, secret: partner.secret, signing: .legacy)
            let blockID = CardBodies.uuid()
            #expect(try await legacy.blockCard(cardID: cardID, description: "lost", requestID: blockID).requestStatus == .success)
            do {
                _ = try await legacy.blockCard(cardID: cardID, description: "lost", requestID: blockID)
                Issue.record("a reused legacy Request-Id was accepted")
            } catch FreedomPayClientError.cardAPI(_, let code, _) {
                #expect(code == "duplicate_request_id")
            }
            #expect(try await api.cardInfo(cardID: cardID).cardStatus == CardStatus.blocked.rawValue)
            #expect(try await api.unblockCard(cardID: cardID, description: "found").requestStatus == .success)
            try await CardBalanceTests.fund(cardID, amountMinor: 250_000, server: server)
            let balance = try await api.cardBalance(cardID: cardID)
            #expect(balance.balances.accounts.first?.amount == 2500)
            #expect(balance.balances.accounts.first?.currency == "KZT")

            let secret = try await api.cardSecret(cardID: cardID)
            #expect(PAN.isLuhnValid(secret.pan))
            let info = try await api.cardInfo(cardID: cardID)
            #expect(info.cardMask == PAN.mask(secret.pan))
            #expect(info.expiry == secret.expiry)
            let listed = try await api.clientCards(clientID: clientID)
            #expect(listed.cards.map(\.cardID) == [cardID])

            #expect(try await api.closeCard(cardID: cardID, description: "reissue").requestStatus == .success)
            #expect(try await api.cardInfo(cardID: cardID).cardStatus == CardStatus.closed.rawValue)

            try await Self.expectEveryChangeRefused(api, cardID: cardID, clientID: clientID)
            #expect(try await api.cardInfo(cardID: cardID).cardStatus == CardStatus.closed.rawValue)
            let dictionaries = try await api.dictionaries()
            #expect(dictionaries.clientProduct.count == 3)
        }
    }

    /// A closed card rejects every change with `invalid_card_state`.
    static func expectEveryChangeRefused(_ api: CardAPIClient, cardID: String, clientID: String) async throws {
        let changes: [@Sendable () async throws -> Void] = [
            { _ = try await api.activateCard(cardID: cardID) },
            { _ = try await api.blockCard(cardID: cardID, description: "x") },
            { _ = try await api.unblockCard(cardID: cardID, description: "x") },
            { _ = try await api.closeCard(cardID: cardID, description: "x") },
            { _ = try await api.setPIN(cardID: cardID, pin: "2468") },
            { _ = try await api.resetPINCounter(cardID: cardID) },
            { _ = try await api.linkCard(clientID: clientID, cardID: cardID) },
            { _ = try await api.cardSecret(cardID: cardID) },
            { _ = try await api.setLimits(SetLimitsRequest(requestID: CardBodies.uuid(), object: LimitObject(type: "card", value: cardID),
                                                           limits: [LimitEndpointTests.atm])) },
        ]
        for change in changes {
            do {
                try await change()
                Issue.record("a closed card accepted a change")
            } catch FreedomPayClientError.cardAPI(_, let code, _) {
                #expect(code == "invalid_card_state")
            }
        }
    }
}
