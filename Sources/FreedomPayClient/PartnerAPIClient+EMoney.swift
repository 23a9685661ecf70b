import Foundation
import FreedomPayWire

/// E-Money wallets (partner-api.md §3.9–§3.16) and the sandbox money routes.
extension PartnerAPIClient {
    public func addWallet(_ request: WalletAddRequest) async throws -> EMoneyResponse {
        try await send("/v5/partner/wallet/add", request, as: EMoneyResponse.self)
    }

    public func identifyWalletOwner(_ request: WalletIdentificationRequest) async throws -> EMoneyResponse {
        try await send("/v5/partner/wallet/identification", request, as: EMoneyResponse.self)
    }

    public func walletInfo(identifier: String) async throws -> WalletInfo? {
        try await send("/v5/partner/wallet/info", WalletLookupRequest(identifier: identifier), as: EMoneyResponse.self).wallet
    }

    public func blockWallet(_ request: WalletStateChangeRequest) async throws -> EMoneyResponse {
        try await send("/v5/partner/wallet/block", request, as: EMoneyResponse.self)
    }

    public func closeWallet(_ request: WalletStateChangeRequest) async throws -> EMoneyResponse {
        try await send("/v5/partner/wallet/close", request, as: EMoneyResponse.self)
    }

    public func walletBalance(identifier: String) async throws -> EMoneyResponse {
        try await send("/v5/partner/wallet/balance", WalletLookupRequest(identifier: identifier), as: EMoneyResponse.self)
    }

    public func walletStatement(_ request: WalletStatementRequest) async throws -> [WalletOperation] {
        try await send("/v5/partner/wallet/statement", request, as: EMoneyResponse.self).operations ?? []
    }

    public func walletTopUp(_ request: WalletMoneyRequest) async throws -> EMoneyResponse {
        try await send("/v5/partner/wallet/topup", request, as: EMoneyResponse.self)
    }

    public func walletWithdraw(_ request: WalletMoneyRequest) async throws -> EMoneyResponse {
        try await send("/v5/partner/wallet/withdraw", request, as: EMoneyResponse.self)
    }

    public func walletTransfer(_ request: WalletMoneyRequest) async throws -> EMoneyResponse {
        try await send("/v5/partner/wallet/transfer", request, as: EMoneyResponse.self)
    }

    public func walletRequestStatus(requestID: String) async throws -> EMoneyResponse {
        try await send("/v5/partner/wallet/request/status", PartnerRequestStatusRequest(requestID: requestID), as: EMoneyResponse.self)
    }
}
