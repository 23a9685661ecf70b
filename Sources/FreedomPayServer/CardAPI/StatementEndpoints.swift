import Foundation
import FreedomPayCore
import FreedomPayWire
import Hummingbird

/// `card/statement` and `card/statement_extended` (card-api.md §3.10–§3.11), built from the ledger entries
/// and holds that `card/balance` also reads. Both run in one transaction so lines and balances agree.
struct StatementEndpoints: Sendable {
    let support: CardEndpointSupport

    static let sandboxMerchant = StatementMerchant(name: "FREEDOM PAY SANDBOX", city: "ALMATY", country: "KAZ")

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("card/statement", use: statement)
        group.post("card/statement_extended", use: extended)
    }

    func statement(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodeCardAPI(CardStatementRequest.self)
        let (from, to) = try Self.period(start: body.startDate, end: body.endDate, now: support.now)
        let result = try await load(context, card: body.cardID, from: from, to: to, page: body.page, perPage: body.perPage)
        let operations = result.operations.map { line in
            StatementOperation(
                type: line.type, amount: line.amount.decimal, commission: 0, currency: line.amount.currency.code,
                mcc: line.type == "pay" ? 5999 : 6012, datetime: WireDate.rfc3339(line.at), rrn: line.rrn, merchant: Self.sandboxMerchant)
        }
        return JSONBody.response(CardStatementResponse(operations: operations, dt: support.dt()))
    }

    func extended(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try context.decodeCardAPI(CardStatementRequest.self)
        guard body.startDate != nil, body.endDate != nil else {
            throw CardAPIFailure(.validationError, "fields 'start_date' and 'end_date' are required")
        }
        let (from, to) = try Self.period(start: body.startDate, end: body.endDate, now: support.now)
        let result = try await load(context, card: body.cardID, from: from, to: to, page: body.page, perPage: body.perPage)
        let iban = result.balance.iban
        func item(_ line: CardStatementLine) -> ExtendedStatementItem {
            ExtendedStatementItem(
                datetime: WireDate.rfc3339(line.at), type: line.type, amount: line.amount.decimal, currency: line.amount.currency.code,
                iban: iban, merchant: Self.sandboxMerchant,
                additionalParameters: Self.parameters(line, conversion: line.reference.flatMap { result.conversions[$0] }))
        }
        let balance = result.balance
        let currency = balance.balance.account.currency
        let money = { (minor: Int64) in Money(minorUnits: minor, currency: currency).decimal }
        let account = CardBalanceAccount(
            iban: iban, currency: currency.code, debit: money(balance.debitMinor), credit: money(balance.creditMinor),
            amount: balance.balance.available.decimal, blockedAmount: balance.balance.held.decimal)
        return JSONBody.response(CardStatementExtendedResponse(
            clientID: result.card.clientID?.rawValue ?? "", card: StatementCard(cardID: result.card.id.rawValue, cardMask: result.card.mask),
            balances: CardBalances(accounts: [account]), authorizations: result.authorizations.map(item),
            operations: result.operations.map(item), dt: support.dt()))
    }

    /// `rrn`, `transaction_id` and, for a converted transaction, what was asked and at which rate.
    static func parameters(_ line: CardStatementLine, conversion: CardTransaction.Conversion?) -> [NameValue] {
        var parameters = [NameValue(name: "rrn", value: line.rrn)]
        if let reference = line.reference { parameters.append(NameValue(name: "transaction_id", value: reference)) }
        if let conversion {
            parameters += [
                NameValue(name: "original_amount", value: conversion.original),
                NameValue(name: "original_currency", value: conversion.originalCurrency),
                NameValue(name: "rate", value: conversion.rate),
            ]
        }
        return parameters
    }

    private func load(_ context: AppRequestContext, card: String, from: Date, to: Date, page: Int?, perPage: Int?) async throws -> CardStatement {
        let partner = try context.partner()
        let cards = support.cards
        let now = support.now
        do {
            // A write transaction that writes nothing: the one way to read lines and balance from one snapshot on every store.
            return try await support.services.store.write { db in
                try await cards.statement(
                    of: CardID(rawValue: card), partner: partner.id, from: from, to: to, page: page ?? 1, perPage: perPage ?? 100, now: now, in: db)
            }
        } catch let error as CardRuleError {
            throw CardAPIFailure(error)
        }
    }

    /// Missing `end_date` = now, missing `start_date` = 30 days before the end ([inferred]).
    static func period(start: String?, end: String?, now: Date) throws -> (Date, Date) {
        func parse(_ text: String?, field: String) throws -> Date? {
            guard let text else { return nil }
            guard let date = WireDate.parseRFC3339(text) else {
                throw CardAPIFailure(.validationError, "field '\(field)' must be an RFC 3339 date-time such as 2025-02-01T00:00:00+05:00")
            }
            return date
        }
        let to = try parse(end, field: "end_date") ?? now
        let from = try parse(start, field: "start_date") ?? to.addingTimeInterval(-30 * 86_400)
        guard from <= to else { throw CardAPIFailure(.validationError, "field 'start_date' must not be after 'end_date'") }
        return (from, to)
    }
}
