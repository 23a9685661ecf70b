import ArgumentParser
import Foundation
import FreedomPayCore
import FreedomPayStore
import FreedomPayWire
import Logging

/// `freedompay audit`: re-checks the stored ledger and request records from the rows, read-only, and exits
/// non-zero on any violation. Meant for operators after an incident and for the scale-out test.
struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check ledger invariants and exactly-once execution in a database; exit 1 on any violation.",
        discussion: """
            Checks: every posting sums to zero per currency; every account's posted/held totals equal its entries
            and active holds; no account below its overdraft limit; every card transaction is named by exactly
            one successful transaction/create request record, and every such record names a stored transaction.
            """)

    @Option(help: "PostgreSQL URL. Env: FREEDOMPAY_POSTGRES_URL") var postgres: String? = Environment.string("FREEDOMPAY_POSTGRES_URL")
    @Option(help: "Data folder holding freedompay.sqlite (when no --postgres). Env: FREEDOMPAY_DATA")
    var data: String = Environment.string("FREEDOMPAY_DATA") ?? "./freedompay-data"
    @Flag(help: "Print a JSON summary instead of text.") var json = false

    func run() async throws {
        var logger = Logger(label: "freedompay.audit")
        logger.logLevel = .warning
        let store: any Store
        if let postgres, !postgres.isEmpty {
            store = try PostgresStore(url: postgres, maxConnections: 2, logger: logger)
        } else {
            let path = (data as NSString).appendingPathComponent("freedompay.sqlite")
            guard FileManager.default.fileExists(atPath: path) else { throw ValidationError("no database at \(path)") }
            store = try SQLiteStore(path: path)
        }
        let report: AuditReport
        do {
            report = try await store.read { db in try await AuditReport.collect(in: db) }
        } catch {
            try? await store.close()
            throw error
        }
        try await store.close()
        print(json ? report.json : report.text)
        if !report.problems.isEmpty { throw ExitCode(1) }
    }
}

/// What `freedompay audit` found: counts for the record and every problem in words.
struct AuditReport: Encodable {
    var postings = 0
    var accounts = 0
    var transactions = 0
    var requests = 0
    var problems: [String] = []

    static func collect(in db: any SQLExecutor) async throws -> AuditReport {
        var report = AuditReport()
        report.problems = try await LedgerAudit().violations(in: db).map(\.description)
        report.postings = try await count("SELECT COUNT(*) AS n FROM ledger_journal", in: db)
        report.accounts = try await count("SELECT COUNT(*) AS n FROM ledger_accounts", in: db)
        report.transactions = try await count("SELECT COUNT(*) AS n FROM card_transactions", in: db)
        report.requests = try await count("SELECT COUNT(*) AS n FROM requests", in: db)
        report.problems += try await exactlyOnce(in: db)
        return report
    }

    /// A second execution of one request id would leave a transaction no record names (or two records
    /// naming one transaction); a lost execution would leave a record naming a missing transaction.
    private static func exactlyOnce(in db: any SQLExecutor) async throws -> [String] {
        var named: [String: Int] = [:]
        for row in try await db.query(
            "SELECT request_id, outcome_json FROM requests WHERE kind = ? AND status = ?",
            [.text("transaction.create"), .text(RequestStatus.success.rawValue)]) {
            let outcome = try JSONDecoder().decode(RequestOutcome.self, from: Data(try row.text("outcome_json").utf8))
            if let id = outcome.transactionID { named[id, default: 0] += 1 }
        }
        var problems: [String] = []
        var stored = Set<String>()
        for row in try await db.query("SELECT id FROM card_transactions", []) {
            let id = try row.text("id")
            stored.insert(id)
            let records = named[id] ?? 0
            if records != 1 { problems.append("transaction \(id) is named by \(records) successful transaction/create records") }
        }
        for id in named.keys where !stored.contains(id) {
            problems.append("a transaction/create record names transaction \(id), which is not stored")
        }
        return problems
    }

    private static func count(_ sql: String, in db: any SQLExecutor) async throws -> Int {
        Int(try await db.query(sql, []).first?.int("n") ?? 0)
    }

    var text: String {
        var lines = ["postings \(postings), accounts \(accounts), card transactions \(transactions), request records \(requests)"]
        lines += problems.isEmpty ? ["no violations"] : problems.map { "VIOLATION: \($0)" }
        return lines.joined(separator: "\n")
    }

    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
