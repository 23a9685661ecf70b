import Foundation
import FreedomPayWire

/// Products (partner-api.md §3.3–§3.8): onboarding client companies, users and products.
extension PartnerAPIClient {
    public func dictionaries(_ name: String? = nil) async throws -> PartnerDictionaries {
        try await send("/v5/partner/dictionaries", PartnerDictionariesRequest(dictionary: name), as: PartnerDictionariesResponse.self).dictionaries
    }

    /// Either body shape: build the request with `AddClientRequest(requestID:company:product:)` or the flat initialiser.
    public func addClient(_ request: AddClientRequest) async throws -> ProductsResponse {
        try await send("/v5/partner/client/add", request, as: ProductsResponse.self)
    }

    public func addClientUser(_ request: AddClientUserRequest) async throws -> ProductsResponse {
        try await send("/v5/partner/client/user/add", request, as: ProductsResponse.self)
    }

    public func addClientProduct(_ request: AddClientProductRequest) async throws -> ProductsResponse {
        try await send("/v5/partner/client/product/add", request, as: ProductsResponse.self)
    }

    public func grantUser(_ request: GrantUserRequest) async throws -> ProductsResponse {
        try await send("/v5/partner/client/user/grant", request, as: ProductsResponse.self)
    }

    public func sendAuthData(_ request: SendAuthDataRequest) async throws -> ProductsResponse {
        try await send("/v5/partner/client/user/send_auth", request, as: ProductsResponse.self)
    }

    /// The state of a Products request; a request that failed answers `request_status: error` with its code.
    public func productsRequestStatus(requestID: String) async throws -> ProductsResponse {
        try await send("/v5/partner/request/status", PartnerRequestStatusRequest(requestID: requestID), as: ProductsResponse.self)
    }
}
