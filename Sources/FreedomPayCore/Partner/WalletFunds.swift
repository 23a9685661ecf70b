import Foundation
import FreedomPayWire

/// Money on e-money wallets, through the shared double-entry ledger: a wallet is the ledger account
/// `wallet:<row id>:<currency>`. Each posting also gets one `partner_wallet_operations` line per wallet it
/// touches, holding what the statement shows beyond the ledger (operation type, RRN, correspondent).
public struct WalletFunds: Sendable {
    let ledger: LedgerRepository

    public init(clock: any Clock) {
        self.ledger = LedgerRepository(clock: clock)
    }

    /// What moved the money (§2.7 operation codes).
    public enum Movement: Sendable {
        /// Money bought into the wallet from outside (`emoney_buy`).
        case topUp
        /// Money redeemed out of the wallet (`emoney_pay`).
        case withdraw
        /// Wallet to wallet of the same partner and currency (`emoney_transfer`).
        case transfer(to: Wallet)
    }

    public static func account(_ wallet: Wallet) throws -> AccountKey {
        guard let currency = Currency(code: wallet.currency) else { throw LedgerError.malformed("unknown currency \(wallet.currency)") }
        return .wallet(String(wallet.id), currency)
    }

    /// Opens the wallet's ledger account (no overdraft); safe to repeat.
    public func open(_ wallet: Wallet, in db: any SQLExecutor) async throws {
        try await ledger.openAccount(Self.account(wallet), in: db)
    }

    public func balanceMinor(_ wallet: Wallet, in db: any SQLExecutor) async throws -> Int64 {
        try await ledger.balance(of: Self.account(wallet), in: db).postedMinor
    }

    public func balance(_ wallet: Wallet, in db: any SQLExecutor) async throws -> Money {
        try await ledger.balance(of: Self.account(wallet), in: db).posted
    }

    /// Posts one movement; throws `LedgerError.insufficientFunds` when the wallet cannot pay. Returns the RRN.
    public func move(
        _ movement: Movement, wallet: Wallet, amount: Money, correspondent: WalletCorrespondent?, at now: Date, in db: any SQLExecutor
    ) async throws -> String {
        let account = try Self.account(wallet)
        try await open(wallet, in: db)
        if case .transfer(let target) = movement { try await open(target, in: db) }
        let postingID = UUID().uuidString.lowercased()
        let rrn = String(UInt64.random(in: 100_000_000_000...999_999_999_999))
        let external = correspondent ?? WalletCorrespondent(name: "EXTERNAL", accountNumber: "")
        switch movement {
        case .topUp:
            try await ledger.post(.transfer(id: postingID, kind: "emoney_buy", reference: rrn, amountMinor: amount.minorUnits,
                                            from: .external(amount.currency), to: account), in: db)
            try await note(postingID, wallet: wallet, type: "emoney_buy", rrn: rrn, correspondent: external, at: now, in: db)
        case .withdraw:
            try await ledger.post(.transfer(id: postingID, kind: "emoney_pay", reference: rrn, amountMinor: amount.minorUnits,
                                            from: account, to: .external(amount.currency)), in: db)
            try await note(postingID, wallet: wallet, type: "emoney_pay", rrn: rrn, correspondent: external, at: now, in: db)
        case .transfer(let target):
            try await ledger.post(.transfer(id: postingID, kind: "emoney_transfer", reference: rrn, amountMinor: amount.minorUnits,
                                            from: account, to: try Self.account(target)), in: db)
            try await note(postingID, wallet: wallet, type: "emoney_transfer", rrn: rrn,
                           correspondent: WalletCorrespondent(name: "WALLET", accountNumber: target.identifier), at: now, in: db)
            try await note(postingID, wallet: target, type: "emoney_transfer", rrn: rrn,
                           correspondent: WalletCorrespondent(name: "WALLET", accountNumber: wallet.identifier), at: now, in: db)
        }
        return rrn
    }

    /// The wallet's operations with `from <= time < to`, oldest first, read from the ledger entries.
    public func statement(_ wallet: Wallet, from: Date, to: Date, in db: any SQLExecutor) async throws -> [WalletOperation] {
        let account = try Self.account(wallet)
        let entries = try await ledger.entries(of: account, from: from, to: to, limit: 1000, in: db)
        let rows = try await db.query(
            "SELECT posting_id, type, rrn, correspondent_name, correspondent_account, commission_minor FROM partner_wallet_operations WHERE wallet_id = ?",
            [.integer(wallet.id)])
        var notes: [String: SQLRow] = [:]
        for row in rows { notes[try row.text("posting_id")] = row }
        return try entries.map { entry in
            let note = notes[entry.postingID]
            let commission = Money(minorUnits: note?.optionalInt("commission_minor") ?? 0, currency: account.currency)
            return WalletOperation(
                type: note?.optionalText("type") ?? entry.kind,
                amount: Money(minorUnits: entry.amountMinor, currency: account.currency).decimal, commission: commission.decimal,
                currency: account.currency.code, datetime: WireDate.rfc3339(entry.createdAt),
                rrn: note?.optionalText("rrn") ?? entry.reference ?? "",
                correspondent: WalletCorrespondent(
                    name: note?.optionalText("correspondent_name") ?? "", accountNumber: note?.optionalText("correspondent_account") ?? ""))
        }
    }

    private func note(
        _ postingID: String, wallet: Wallet, type: String, rrn: String, correspondent: WalletCorrespondent, at now: Date, in db: any SQLExecutor
    ) async throws {
        try await db.execute(
            """
            INSERT INTO partner_wallet_operations (posting_id, wallet_id, type, rrn, correspondent_name, correspondent_account, commission_minor, created_at)
            VALUES (?, ?, ?, ?, ?, ?, 0, ?)
            """,
            [.text(postingID), .integer(wallet.id), .text(type), .text(rrn), .text(correspondent.name), .text(correspondent.accountNumber),
             .integer(Int64(now.timeIntervalSince1970))])
    }
}
