import Foundation
import FreedomPayCore
import FreedomPayWire
import Hummingbird

/// Money into and out of wallets [inferred sandbox routes: the docs show no money-movement body]:
/// `wallet/topup` (`emoney_buy`), `wallet/withdraw` (`emoney_pay`), `wallet/transfer` (`emoney_transfer`).
/// Every movement is one balanced ledger posting in the same transaction as the request record.
struct WalletMoneyEndpoints: Sendable {
    let services: AppServices
    let wallets = WalletRepository()
    var execution: PartnerAPIExecution { PartnerAPIExecution(services: services) }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("wallet/topup") { request, context in try await move(context: context, kind: "wallet.topup") }
        group.post("wallet/withdraw") { request, context in try await move(context: context, kind: "wallet.withdraw") }
        group.post("wallet/transfer") { request, context in try await move(context: context, kind: "wallet.transfer") }
    }

    private func move(context: AppRequestContext, kind: String) async throws -> Response {
        let body = try context.decodePartnerAPI(WalletMoneyRequest.self)
        guard body.amount > 0 else { throw PartnerAPIFailure(.invalidInput, "field 'amount' must be a positive number") }
        if kind == "wallet.transfer", body.toIdentifier == nil {
            throw PartnerAPIFailure(.invalidInput, "field 'to_identifier' is required")
        }
        let now = services.clock.now()
        let funds = WalletFunds(clock: services.clock)
        return try await execution.run(context: context, bodyRequestID: body.requestID, api: .emoney, kind: kind) { db, partner in
            let wallet = try await find(body.identifier, partner: partner, db: db)
            let amount = try Self.money(body.amount, wallet: wallet)
            var movement = WalletFunds.Movement.topUp
            switch kind {
            case "wallet.topup": try WalletEndpoints.apply { try wallet.lifecycle.check(.credit) }
            case "wallet.withdraw":
                try WalletEndpoints.apply { try wallet.lifecycle.check(.debit) }
                movement = .withdraw
            default:
                try WalletEndpoints.apply { try wallet.lifecycle.check(.debit) }
                let target = try await find(body.toIdentifier ?? "", partner: partner, db: db)
                guard target.id != wallet.id else { throw PartnerAPIFailure(.invalidInput, "field 'to_identifier' must name another wallet") }
                guard target.currency == wallet.currency else {
                    throw PartnerAPIFailure(.invalidInput, "wallets '\(wallet.identifier)' and '\(target.identifier)' hold different currencies")
                }
                try WalletEndpoints.apply { try target.lifecycle.check(.credit) }
                movement = .transfer(to: target)
            }
            let rrn: String
            do {
                rrn = try await funds.move(movement, wallet: wallet, amount: amount, correspondent: body.correspondent, at: now, in: db)
            } catch LedgerError.insufficientFunds(_, let availableMinor, _) {
                let available = Money(minorUnits: availableMinor, currency: amount.currency).compactString
                throw PartnerAPIFailure(.invalidInput, "insufficient funds on wallet '\(wallet.identifier)': \(available) available")
            }
            let balance = try await funds.balance(wallet, in: db)
            var answer = EMoneyResponse(identifier: wallet.identifier, balance: balance.decimal, currency: balance.currency.code)
            answer.rrn = rrn
            return WalletEndpoints.result(answer, rrn: rrn)
        }
    }

    private func find(_ identifier: String, partner: Partner, db: any SQLExecutor) async throws -> Wallet {
        guard let wallet = try await wallets.find(partner: partner.id, identifier: identifier, in: db) else {
            throw WalletEndpoints.notFound(identifier)
        }
        return wallet
    }

    /// The amount in the wallet's currency, exactly (no more decimals than the currency has).
    static func money(_ amount: Decimal, wallet: Wallet) throws -> Money {
        guard let currency = Currency(code: wallet.currency) else { throw PartnerAPIFailure(.internalError, "wallet currency unknown") }
        do {
            return try Money(decimal: amount, currency: currency)
        } catch {
            throw PartnerAPIFailure(.invalidInput, "field 'amount': \(error)")
        }
    }
}
