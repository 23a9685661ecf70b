import FreedomPayCore
import FreedomPayWire
import Testing

/// Walks every transition of the wallet state machine (spec §4.3).
@Suite struct WalletLifecycleTests {
    @Test func newWalletIsActiveAndUnidentified() {
        let wallet = WalletLifecycle()
        #expect(wallet.state == .active)
        #expect(!wallet.identified)
        for action in WalletAction.allCases { #expect(throws: Never.self) { try wallet.check(action) } }
    }

    @Test func identificationKeepsTheWalletActive() throws {
        var wallet = WalletLifecycle()
        try wallet.identify()
        #expect(wallet.state == .active && wallet.identified)
        try wallet.identify()  // repeating updates the owner
        #expect(wallet.identified)
    }

    @Test func activeToBlockedRefusesMoneyAndIdentificationButAllowsReads() throws {
        var wallet = WalletLifecycle()
        try wallet.block()
        #expect(wallet.state == .blocked)
        for action in [WalletAction.info, .statement, .requestStatus, .balance, .close] {
            #expect(throws: Never.self) { try wallet.check(action) }
        }
        #expect(throws: WalletRefusal.blocked(.credit)) { try wallet.check(.credit) }
        #expect(throws: WalletRefusal.blocked(.debit)) { try wallet.check(.debit) }
        #expect(throws: WalletRefusal.blocked(.identify)) { try wallet.identify() }
        #expect(throws: WalletRefusal.blockFailed) { try wallet.block() }
        #expect(WalletRefusal.blockFailed.code == .walletBlockFailed)
        #expect(WalletRefusal.blocked(.credit).code == .invalidInput)
    }

    @Test func closeNeedsAnEmptyWallet() throws {
        var wallet = WalletLifecycle()
        #expect(throws: WalletRefusal.closeFailedBalance) { try wallet.close(balanceMinor: 100) }
        #expect(wallet.state == .active)
        #expect(WalletRefusal.closeFailedBalance.code == .walletCloseFailed)
        try wallet.close(balanceMinor: 0)
        #expect(wallet.state == .closed)
    }

    @Test func blockedToClosed() throws {
        var wallet = WalletLifecycle()
        try wallet.block()
        try wallet.close(balanceMinor: 0)
        #expect(wallet.state == .closed)
    }

    @Test func closedRefusesEverythingButInfoStatementAndRequestStatus() throws {
        var wallet = WalletLifecycle(state: .closed, identified: true)
        for action in WalletAction.allCases {
            if [.info, .statement, .requestStatus].contains(action) {
                #expect(throws: Never.self) { try wallet.check(action) }
            } else {
                #expect(throws: WalletRefusal.closed) { try wallet.check(action) }
            }
        }
        #expect(throws: WalletRefusal.closed) { try wallet.block() }
        #expect(throws: WalletRefusal.closed) { try wallet.close(balanceMinor: 0) }
        #expect(throws: WalletRefusal.closed) { try wallet.identify() }
        #expect(wallet.state == .closed)
        #expect(WalletRefusal.closed.code == .walletClosed)
    }
}
