import Foundation
import FreedomPayCore

/// Everything `freedompay serve` can be told, from flags or `FREEDOMPAY_*` environment variables.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Everything the server keeps lives here: the SQLite file, the sandbox key and credentials.
    public var dataDirectory: String
    /// Sandbox mode: demo credentials on first start, test cards, readable SMS/callback inboxes.
    public var sandbox: Bool
    /// AES-GCM key for secrets at rest (`keyid:base64`); sandbox generates one in the data folder.
    public var encryptionKey: String?
    /// PostgreSQL URL (`postgres://user:pass@host:port/db`); nil = embedded SQLite in the data folder.
    public var postgresURL: String?
    /// Largest request body accepted, in bytes.
    public var maxBodyBytes: Int
    /// Base URL used in links the server hands out (hosted pages); defaults to http://host:port.
    public var publicBaseURL: String?
    /// Sandbox: asynchronous Card/Partner requests answer `process` and turn final after this many seconds
    /// (0 = final at once). The effects are applied at once either way; only the reported state waits.
    public var asyncCompletionDelaySeconds: Int = 0
    /// Callbacks to merchants (merchant-api.md §4.5): a failed delivery is retried every
    /// `callbackRetryIntervalMs` for `callbackRetryWindowMs` (30 min for 2 h); tests shrink both.
    public var callbackRetryIntervalMs: Int64 = 30 * 60 * 1000
    public var callbackRetryWindowMs: Int64 = 2 * 60 * 60 * 1000
    /// Time limit of one callback HTTP attempt, and of the synchronous check request (30 s [inferred]).
    public var callbackTimeoutMs: Int64 = 30 * 1000
    /// How often the dispatcher looks for due callbacks, and how many it sends at once (1...100).
    public var callbackPollIntervalMs: Int64 = 500
    public var callbackBatchSize: Int = 16
    /// How often unpaid purchases are expired and held ones auto-cleared in the background.
    public var purchaseSweepIntervalMs: Int64 = 60 * 1000
    /// How often the ledger's per-account history index catches up with the journal when it is not busy.
    public var ledgerHistoryIntervalMs: Int64 = 250
    /// Payouts (merchant-api.md §3.15, §6.2): the fee debited with each payout on top of its amount, and the
    /// sandbox delay of the "process, then ..." test cards (60 s [inferred]).
    public var payoutFee = PayoutFee(basisPoints: 100, fixedMinor: 0)
    public var payoutProcessingDelaySeconds: Int = 60
    /// Gift-card confirmation codes: lifetime, wrong attempts allowed, length.
    public var giftCodePolicy = GiftCodePolicy()
    /// Per-credential request budget (Card and Partner API: per auth_id, 429; Merchant API: per merchant, 10006), in
    /// each API's envelope; nil = off. `freedompay serve --rate-limit <requests>/<seconds>`.
    public var rateLimit: RateLimit?
    /// A connection with nothing read or written for this long is closed (covers slow/never-finished headers).
    public var idleTimeoutSeconds: Int = 60
    /// Requests handled at once; past it, 503 in the API's envelope (bounds every internal queue).
    public var maxInFlightRequests: Int = 1024
    /// Operator dashboard: how long a login lasts (the session cookie and its stored row expire together).
    public var dashboardSessionLifetimeSeconds: Int = 8 * 60 * 60
    /// Sandbox failure-injection rules in force at start-up (`--inject`, `FREEDOMPAY_INJECT`).
    public var failureInjection: [FailureRule] = []

    public init(
        host: String = "127.0.0.1", port: Int = 8080, dataDirectory: String = "./freedompay-data", sandbox: Bool = true,
        encryptionKey: String? = nil, maxBodyBytes: Int = 4 * 1024 * 1024, publicBaseURL: String? = nil
    ) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.sandbox = sandbox
        self.encryptionKey = encryptionKey
        self.maxBodyBytes = maxBodyBytes
        self.publicBaseURL = publicBaseURL
    }

    public var databasePath: String { (dataDirectory as NSString).appendingPathComponent("freedompay.sqlite") }
    public var keyFilePath: String { (dataDirectory as NSString).appendingPathComponent("encryption.key") }
    public var credentialsFilePath: String { (dataDirectory as NSString).appendingPathComponent("sandbox-credentials.json") }
    public var baseURL: String { publicBaseURL ?? "http://\(host):\(port)" }
}
