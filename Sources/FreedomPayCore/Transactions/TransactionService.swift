import Foundation

/// What the transaction rules need to know about a card: its currency and whether it may move money now.
public struct TransactionCard: Sendable, Equatable {
    public let cardID: String
    public let currency: Currency
    /// nil when the card accepts debits; else why not (blocked, closed, expired, not activated).
    public let debitRefusal: String?
    /// nil when the card accepts credits and refunds; else why not (closed, expired).
    public let creditRefusal: String?
    /// The card's holder, whose limits also apply to the card's debits.
    public let clientID: String?
    /// False when the directory knows that no limit is set on the card, its account or its client.
    public let limitsMayApply: Bool

    public init(cardID: String, currency: Currency, debitRefusal: String?, creditRefusal: String?, clientID: String? = nil, limitsMayApply: Bool = true) {
        self.cardID = cardID
        self.currency = currency
        self.debitRefusal = debitRefusal
        self.creditRefusal = creditRefusal
        self.clientID = clientID
        self.limitsMayApply = limitsMayApply
    }
}

/// Looks cards up for the transaction rules, scoped to the calling partner (another partner's card is nil).
public protocol TransactionCardDirectory: Sendable {
    func card(_ cardID: String, partner: PartnerID, in db: any SQLExecutor) async throws -> TransactionCard?
}

/// Checks a debit against the partner's limits; throws `TransactionError.limitExceeded` to refuse.
public protocol DebitLimitPolicy: Sendable {
    func check(card: TransactionCard, partner: PartnerID, amount: Money, now: Date, in db: any SQLExecutor) async throws
}

public enum TransactionError: Error, Equatable, Sendable {
    case validation(String)
    case cardNotFound(String)
    case transactionNotFound(String)
    case invalidCardState(String)
    case insufficientFunds(String)
    case amountExceedsAllowed(String)
    case limitExceeded(String)
}

/// A transaction request as the rules see it (amounts still as the caller wrote them).
public struct TransactionCommand: Sendable {
    public var orderID: String
    public var cardID: String
    public var kind: CardTransaction.Kind
    public var amount: String
    public var currency: String
    public var description: String?

    public init(orderID: String, cardID: String, kind: CardTransaction.Kind, amount: String, currency: String, description: String?) {
        self.orderID = orderID
        self.cardID = cardID
        self.kind = kind
        self.amount = amount
        self.currency = currency
        self.description = description
    }
}

/// Card transactions over the ledger, each step inside the caller's store transaction:
/// a debit places a hold, clearing captures it to the outside world (the rest released), a refund
/// posts back to the card, a credit funds the card from the outside world, a cancel releases the hold.
public struct TransactionService: Sendable {
    let directory: any TransactionCardDirectory
    let limits: (any DebitLimitPolicy)?
    let ledger: LedgerRepository
    let transactions = TransactionRepository()

    public init(directory: any TransactionCardDirectory, limits: (any DebitLimitPolicy)? = nil, clock: any Clock = SystemClock()) {
        self.directory = directory
        self.limits = limits
        self.ledger = LedgerRepository(clock: clock)
    }

    public func create(_ command: TransactionCommand, partner: PartnerID, now: Date, in db: any SQLExecutor) async throws -> CardTransaction {
        guard !command.orderID.isEmpty, command.orderID.count <= 64 else { throw TransactionError.validation("field 'order_id' must be 1-64 characters") }
        guard let card = try await directory.card(command.cardID, partner: partner, in: db) else {
            throw TransactionError.cardNotFound("card_id '\(command.cardID)' not found")
        }
        guard let requestedCurrency = Currency(code: command.currency) else {
            throw TransactionError.validation("field 'currency' must be an ISO 4217 code such as KZT")
        }
        let requested = try Self.amount(command.amount, currency: requestedCurrency, field: "amount")
        let currency = card.currency
        var conversion: CardTransaction.Conversion?
        var amount = requested
        if requestedCurrency != currency {
            (amount, conversion) = try await convert(requested, to: currency, partner: partner, now: now, in: db)
        }
        // A reused order id answers first, before any refusal of this attempt (a retry under a new request id of
        // a debit that went through must not read "insufficient funds"). The insert below detects it; a refusal
        // before the insert looks it up itself, so the usual debit makes no order-id query of its own.
        let orderIDUsed = TransactionError.validation("order_id '\(command.orderID)' was already used for another transaction")
        let refusal = command.kind == .debit ? card.debitRefusal : card.creditRefusal
        do {
            if let refusal { throw TransactionError.invalidCardState(refusal) }
            if command.kind == .debit {
                // Before the insert: the limits' usage counts this partner's uncanceled debits, this one not yet.
                try await limits?.check(card: card, partner: partner, amount: amount, now: now, in: db)
            }
        } catch let refused as TransactionError {
            if try await transactions.find(orderID: command.orderID, partner: partner, in: db) != nil { throw orderIDUsed }
            throw refused
        }
        let account = AccountKey.card(card.cardID, currency)
        // Ten digits, the first non-zero, from one random draw (`RandomToken.digits` takes one per ~8 digits).
        var random = IdentifierRandom()
        let finDocumentID = "FD-" + String(UInt64.random(in: 1_000_000_000...9_999_999_999, using: &random))
        let transaction: CardTransaction
        do {
            transaction = try await transactions.insertNew(now: now, in: db) { id in
                var transaction = CardTransaction(
                    id: id, partnerID: partner, orderID: command.orderID, cardID: card.cardID, kind: command.kind,
                    currency: currency, amountMinor: amount.minorUnits, clearedMinor: 0, refundedMinor: 0, status: .created,
                    finDocumentID: finDocumentID, description: command.description, createdAt: now)
                transaction.conversion = conversion
                if command.kind == .credit {
                    transaction.clearedMinor = amount.minorUnits
                    transaction.status = .cleared
                }
                return transaction
            }
        } catch TransactionRepository.InsertConflict.orderIDUsed {
            throw orderIDUsed
        }
        // The row is written before the money moves; a refusal from here on (funds) rolls both back together.
        switch command.kind {
        case .debit:
            try await withFundsCheck(account) {
                try await placeHold(transaction, account: account, in: db)
            }
        case .credit:
            try await ledger.openAccount(account, in: db)
            try await ledger.post(
                try Posting.transfer(id: "credit-\(transaction.id)", kind: "card.credit", reference: transaction.id,
                                     amountMinor: amount.minorUnits, from: .external(currency), to: account),
                in: db)
        }
        return transaction
    }

    public func clear(transactionID: String, orderID: String, amount: String?, partner: PartnerID, in db: any SQLExecutor) async throws -> CardTransaction {
        var transaction = try await owned(transactionID, orderID: orderID, partner: partner, in: db)
        let requested = try amount.map { try Self.amount($0, currency: transaction.currency, field: "amount").minorUnits }
        let cleared = try rule(transaction.currency) { try TransactionMachine.clear(&transaction, amountMinor: requested) }
        try await ledger.captureHold(
            id: transaction.holdID, amountMinor: cleared, to: .external(transaction.currency),
            postingID: "clear-\(transaction.id)", kind: "card.debit", in: db)
        try await transactions.update(transaction, in: db)
        return transaction
    }

    public func refund(transactionID: String, orderID: String, amount: String?, partner: PartnerID, in db: any SQLExecutor) async throws -> CardTransaction {
        var transaction = try await owned(transactionID, orderID: orderID, partner: partner, in: db)
        if let card = try await directory.card(transaction.cardID, partner: partner, in: db), let refusal = card.creditRefusal {
            throw TransactionError.invalidCardState(refusal)
        }
        let requested = try amount.map { try Self.amount($0, currency: transaction.currency, field: "amount").minorUnits }
        let refunded = try rule(transaction.currency) { try TransactionMachine.refund(&transaction, amountMinor: requested) }
        try await ledger.post(
            try Posting.transfer(
                id: "refund-\(transaction.id)-\(transaction.refundedMinor)", kind: "card.refund", reference: transaction.id,
                amountMinor: refunded, from: .external(transaction.currency), to: .card(transaction.cardID, transaction.currency)),
            in: db)
        try await transactions.update(transaction, in: db)
        return transaction
    }

    public func cancel(transactionID: String, orderID: String, partner: PartnerID, in db: any SQLExecutor) async throws -> CardTransaction {
        var transaction = try await owned(transactionID, orderID: orderID, partner: partner, in: db)
        try rule(transaction.currency) { try TransactionMachine.cancel(&transaction) }
        try await ledger.releaseHold(id: transaction.holdID, in: db)
        try await transactions.update(transaction, in: db)
        return transaction
    }

    /// By transaction id, or by order id when the id is absent.
    public func info(transactionID: String?, orderID: String?, partner: PartnerID, in db: any SQLExecutor) async throws -> CardTransaction {
        let found: CardTransaction?
        if let transactionID, !transactionID.isEmpty {
            found = try await transactions.find(id: transactionID, partner: partner, in: db)
        } else if let orderID, !orderID.isEmpty {
            found = try await transactions.find(orderID: orderID, partner: partner, in: db)
        } else {
            throw TransactionError.validation("field 'transaction_id' or 'order_id' is required")
        }
        guard let found else { throw TransactionError.transactionNotFound("transaction not found") }
        return found
    }

    /// Converts at the partner's rate in force (`/v5/partner/rates/add`) for the pair, or the inverse of the
    /// opposite pair; rounded half-to-even to the card currency's minor unit. No rate: the debit is refused.
    private func convert(_ money: Money, to currency: Currency, partner: PartnerID, now: Date, in db: any SQLExecutor) async throws -> (Money, CardTransaction.Conversion) {
        let rates = RateRepository()
        var factor: Decimal
        if let direct = try await rates.rateInForce(partner: partner, from: money.currency.code, to: currency.code, at: now, in: db) {
            factor = direct.value
        } else if let inverse = try await rates.rateInForce(partner: partner, from: currency.code, to: money.currency.code, at: now, in: db) {
            var exact = Decimal(1) / inverse.value
            factor = Decimal()
            NSDecimalRound(&factor, &exact, 10, .bankers)
        } else {
            throw TransactionError.validation(
                "no \(money.currency.code)→\(currency.code) rate in force for this partner; add one with /v5/partner/rates/add")
        }
        var exact = money.decimal * factor
        var rounded = Decimal()
        NSDecimalRound(&rounded, &exact, currency.exponent, .bankers)
        let converted = try Self.amount(rounded.description, currency: currency, field: "amount")
        return (converted, CardTransaction.Conversion(original: money.compactString, originalCurrency: money.currency.code, rate: factor.description))
    }

    private func owned(_ id: String, orderID: String, partner: PartnerID, in db: any SQLExecutor) async throws -> CardTransaction {
        guard let transaction = try await transactions.find(id: id, partner: partner, in: db), transaction.orderID == orderID else {
            throw TransactionError.transactionNotFound("transaction_id '\(id)' with order_id '\(orderID)' not found")
        }
        return transaction
    }

    /// A card's account is opened by its first credit; a debit on a card never credited opens it (empty) first.
    private func placeHold(_ transaction: CardTransaction, account: AccountKey, in db: any SQLExecutor) async throws {
        do {
            _ = try await ledger.placeHold(id: transaction.holdID, account: account, amountMinor: transaction.amountMinor, reference: transaction.id, in: db)
        } catch LedgerError.unknownAccount {
            try await ledger.openAccount(account, in: db)
            _ = try await ledger.placeHold(id: transaction.holdID, account: account, amountMinor: transaction.amountMinor, reference: transaction.id, in: db)
        }
    }

    private func withFundsCheck(_ account: AccountKey, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch LedgerError.insufficientFunds(_, let available, let requested) {
            let currency = account.currency
            throw TransactionError.insufficientFunds(
                "available \(Money(minorUnits: available, currency: currency).compactString) \(currency.code) is less than "
                    + "\(Money(minorUnits: requested, currency: currency).compactString)")
        }
    }

    /// Runs a state-machine step, translating its refusal into the API-level error.
    private func rule<T>(_ currency: Currency, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as TransactionRuleError {
            switch error {
            case .amountExceeds(let allowed, let requested):
                throw TransactionError.amountExceedsAllowed(
                    "amount \(Money(minorUnits: requested, currency: currency).compactString) exceeds the "
                        + "\(Money(minorUnits: allowed, currency: currency).compactString) \(currency.code) still allowed")
            case .nonPositiveAmount:
                throw TransactionError.validation("field 'amount' must be greater than zero")
            case .notClearable(let status), .notRefundable(let status), .notCancelable(let status):
                throw TransactionError.invalidCardState("transaction is \(status.rawValue); this step is not allowed")
            }
        }
    }

    static func amount(_ text: String, currency: Currency, field: String) throws -> Money {
        do {
            return try AmountRange.payments.parse(text, currency: currency)
        } catch {
            throw TransactionError.validation("field '\(field)': \(error)")
        }
    }
}
