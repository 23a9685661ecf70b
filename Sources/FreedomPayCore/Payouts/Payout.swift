import Foundation

/// A payout refusal with its documented Merchant API code (merchant-api.md §5.1: 8888, 10000, 10001, ...).
public struct PayoutRefusal: Error, Equatable, Sendable {
    public let code: Int
    public let message: String

    public init(_ code: Int, _ message: String) {
        self.code = code
        self.message = message
    }

    public static let insufficientBalance = 8888
    public static let nonUniqueOrderID = 9991
    public static let serviceUnavailable = 10000
    public static let contactIssuer = 10001
    public static let wrongCardNumber = 10032
    public static let notFound = 11068
}

/// The lifecycle of one payout (merchant-api.md §4.3) as a value type: one mutating function per event.
///
/// created --start--> process
/// process --succeed--> ok
/// process --fail(code)--> error
/// created --fail(code)--> error        refused before processing (nothing was debited)
/// ok / error --any--> refused (final states never change)
public struct PayoutMachine: Sendable, Equatable {
    public enum State: String, Sendable, Equatable, CaseIterable {
        case created, process, ok, error
    }

    public struct IllegalTransition: Error, Equatable, Sendable {
        public let from: State
        public let event: String
    }

    public private(set) var state: State
    public private(set) var errorCode: Int?

    public init(state: State = .created, errorCode: Int? = nil) {
        self.state = state
        self.errorCode = errorCode
    }

    public var isFinal: Bool { state == .ok || state == .error }

    public mutating func start() throws(IllegalTransition) {
        guard state == .created else { throw IllegalTransition(from: state, event: "start") }
        state = .process
    }

    public mutating func succeed() throws(IllegalTransition) {
        guard state == .process else { throw IllegalTransition(from: state, event: "succeed") }
        state = .ok
    }

    public mutating func fail(code: Int) throws(IllegalTransition) {
        guard state == .created || state == .process else { throw IllegalTransition(from: state, event: "fail") }
        state = .error
        errorCode = code
    }

    /// `pg_payment_status` of payment_status2 (§3.20): `success`, `error`, `process`.
    public var paymentStatus: String {
        switch state {
        case .created, .process: return "process"
        case .ok: return "success"
        case .error: return "error"
        }
    }

    /// `pg_transaction_status` of get_status2.php (§3.19): `partial`, `pending`, `ok`, `failed`.
    public var transactionStatus: String {
        switch state {
        case .created: return "partial"
        case .process: return "pending"
        case .ok: return "ok"
        case .error: return "failed"
        }
    }

    /// Status of payment_status v1 (§3.20, values from the PayboxPayout SDK): `new`, `ok`, `failed` [inferred].
    public var legacyStatus: String {
        switch state {
        case .created, .process: return "new"
        case .ok: return "ok"
        case .error: return "failed"
        }
    }
}

/// How a payout ends, decided when it is accepted (sandbox: by the recipient card, §6.2).
public enum PayoutPlan: Sendable, Equatable {
    case success
    case failure(code: Int)
    /// `process` for a while, then success or failure (`code` nil = success).
    case delayed(code: Int?)

    /// Storage form: `success`, `error:10000`, `delayed:`, `delayed:10001`.
    public var encoded: String {
        switch self {
        case .success: return "success"
        case .failure(let code): return "error:\(code)"
        case .delayed(let code): return "delayed:\(code.map(String.init) ?? "")"
        }
    }

    public init?(encoded: String) {
        let parts = encoded.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        switch parts[0] {
        case "success": self = .success
        case "error": guard parts.count == 2, let code = Int(parts[1]) else { return nil }; self = .failure(code: code)
        case "delayed": self = .delayed(code: parts.count == 2 ? Int(parts[1]) : nil)
        default: return nil
        }
    }
}

/// One payout as stored.
public struct Payout: Sendable, Equatable {
    public enum Kind: String, Sendable { case reg2reg, reg2nonreg, toIBAN = "to_iban" }

    public let id: PaymentID
    public let merchantID: MerchantID
    public let orderID: String
    public let kind: Kind
    public let amountMinor: Int64
    public let feeMinor: Int64
    public let currency: Currency
    public let description: String
    public let userID: String?
    public let postLink: String
    public let cardToken: String?
    /// The masked card, or the IBAN of a `to_iban` payout.
    public var cardMask: String?
    public var machine: PayoutMachine
    public var plan: PayoutPlan
    public var errorDescription: String?
    public let requestHash: String
    public let timeLimit: Int64
    public var settleAt: Int64?
    /// The merchant's available payout balance right after this payout changed it (`pg_balance`).
    public var balanceAfterMinor: Int64?
    public let createdAt: Int64
    public var finishedAt: Int64?
    /// reg2nonreg: the hosted page where the recipient enters the card, and where the page sends them after.
    public var pageToken: String? = nil
    public var backLink: String? = nil

    /// `pg_to_pay`: what the payout takes from the balance.
    public var toPayMinor: Int64 { amountMinor + feeMinor }
}

/// The configurable payout fee: a percentage (basis points, rounded half up to the minor unit) plus a fixed part.
public struct PayoutFee: Sendable, Equatable {
    public var basisPoints: Int64
    public var fixedMinor: Int64

    public init(basisPoints: Int64, fixedMinor: Int64) {
        self.basisPoints = max(basisPoints, 0)
        self.fixedMinor = max(fixedMinor, 0)
    }

    public func fee(forMinor amount: Int64) -> Int64 {
        (amount * basisPoints + 5_000) / 10_000 + fixedMinor
    }
}
