import Foundation

/// One account of `card/balance` (and of `card/statement_extended`'s `balances.accounts[]`, §3.11).
/// Amounts are JSON numbers in major units, exact (Decimal, never floating point).
public struct CardBalanceAccount: Codable, Sendable, Equatable {
    public var iban: String
    public var currency: String
    public var debit: Decimal
    public var credit: Decimal
    public var amount: Decimal
    public var blockedAmount: Decimal

    public init(iban: String, currency: String, debit: Decimal, credit: Decimal, amount: Decimal, blockedAmount: Decimal) {
        self.iban = iban
        self.currency = currency
        self.debit = debit
        self.credit = credit
        self.amount = amount
        self.blockedAmount = blockedAmount
    }

    enum CodingKeys: String, CodingKey {
        case iban, currency, debit, credit, amount
        case blockedAmount = "blocked_amount"
    }
}

public struct CardBalances: Codable, Sendable, Equatable {
    public var accounts: [CardBalanceAccount]
    public init(accounts: [CardBalanceAccount]) { self.accounts = accounts }
}

/// `POST /v5/card-api/card/balance` (§3.20 [inferred]): `balances.accounts[]` exactly as in §3.11.
public struct CardBalanceResponse: Codable, Sendable, Equatable {
    public var status: String
    public var requestStatus: RequestStatus
    public var balances: CardBalances
    public var dt: String

    public init(status: String = "ok", requestStatus: RequestStatus = .success, balances: CardBalances, dt: String) {
        self.status = status
        self.requestStatus = requestStatus
        self.balances = balances
        self.dt = dt
    }

    enum CodingKeys: String, CodingKey {
        case status
        case requestStatus = "request_status"
        case balances, dt
    }
}
