import FreedomPayWire

/// Where a wallet is in its life (spec §4.3). Unblock is not documented, so `blocked` only leads to `closed`.
public enum WalletState: String, Sendable, Codable, CaseIterable {
    case active
    case blocked
    case closed
}

/// What a caller wants to do with a wallet; the lifecycle decides whether its state allows it.
public enum WalletAction: String, Sendable, CaseIterable {
    case info, statement, requestStatus, balance
    case identify, block, close
    case credit, debit
}

/// Why a wallet refused an action, with the E-Money code it is answered with (§5.1).
public enum WalletRefusal: Error, Sendable, Equatable {
    /// Closed wallets accept only info, statement and request status (1007).
    case closed
    /// Blocking a wallet that is not active (1008 "failed to block").
    case blockFailed
    /// Closing with money still on the wallet (1005 "failed to close") [inferred].
    case closeFailedBalance
    /// A blocked wallet moves no money and cannot be identified (no documented code: 1001) [inferred].
    case blocked(WalletAction)

    public var code: PartnerAPIErrorCode {
        switch self {
        case .closed: return .walletClosed
        case .blockFailed: return .walletBlockFailed
        case .closeFailedBalance: return .walletCloseFailed
        case .blocked: return .invalidInput
        }
    }

    public var message: String {
        switch self {
        case .closed: return "Wallet already closed"
        case .blockFailed: return "Failed to block the wallet: it is already blocked"
        case .closeFailedBalance: return "Failed to close the wallet: its balance is not zero"
        case .blocked(let action): return "wallet is blocked: \(action.rawValue) is not allowed"
        }
    }
}

/// The wallet state machine as a value: one mutating function per event, no I/O.
public struct WalletLifecycle: Sendable, Equatable {
    public private(set) var state: WalletState
    public private(set) var identified: Bool

    /// A freshly opened wallet: active, owner not yet identified.
    public init() {
        self.state = .active
        self.identified = false
    }

    public init(state: WalletState, identified: Bool) {
        self.state = state
        self.identified = identified
    }

    /// Whether `action` may run now (reads and money movement; the events below check themselves).
    public func check(_ action: WalletAction) throws(WalletRefusal) {
        switch (state, action) {
        case (.closed, .info), (.closed, .statement), (.closed, .requestStatus): return
        case (.closed, _): throw .closed
        case (.blocked, .identify), (.blocked, .credit), (.blocked, .debit): throw .blocked(action)
        case (.blocked, .block): throw .blockFailed
        default: return
        }
    }

    /// Owner identification raises the identification level; repeating it updates the owner.
    public mutating func identify() throws(WalletRefusal) {
        try check(.identify)
        identified = true
    }

    public mutating func block() throws(WalletRefusal) {
        try check(.block)
        state = .blocked
    }

    /// Closing needs an empty wallet; a closed wallet answers 1007.
    public mutating func close(balanceMinor: Int64) throws(WalletRefusal) {
        try check(.close)
        guard balanceMinor == 0 else { throw .closeFailedBalance }
        state = .closed
    }
}
