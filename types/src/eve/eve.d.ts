import * as $protobuf from "protobufjs";

export namespace org {

    namespace lfedge {

        namespace eve {

            namespace attest {

                interface IZAttestReq extends org.lfedge.eve.attest.ZAttestReq.$Properties {
                }

                class ZAttestReq {
                    constructor(properties?: org.lfedge.eve.attest.ZAttestReq.$Properties);
                    $unknowns?: Uint8Array[];
                    reqType: org.lfedge.eve.attest.ZAttestReqType;
                    quote?: (org.lfedge.eve.attest.ZAttestQuote.$Properties|null);
                    certs: org.lfedge.eve.certs.ZCert.$Properties[];
                    storage_keys?: (org.lfedge.eve.attest.AttestStorageKeys.$Properties|null);
                    static create(properties: org.lfedge.eve.attest.ZAttestReq.$Shape): org.lfedge.eve.attest.ZAttestReq & org.lfedge.eve.attest.ZAttestReq.$Shape;
                    static create(properties?: org.lfedge.eve.attest.ZAttestReq.$Properties): org.lfedge.eve.attest.ZAttestReq;
                    static encode(message: org.lfedge.eve.attest.ZAttestReq.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.attest.ZAttestReq & org.lfedge.eve.attest.ZAttestReq.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.attest.ZAttestReq;
                    static toObject(message: org.lfedge.eve.attest.ZAttestReq, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ZAttestReq {
                    interface $Properties {
                        reqType?: (org.lfedge.eve.attest.ZAttestReqType|null);
                        quote?: (org.lfedge.eve.attest.ZAttestQuote.$Properties|null);
                        certs?: (org.lfedge.eve.certs.ZCert.$Properties[]|null);
                        storage_keys?: (org.lfedge.eve.attest.AttestStorageKeys.$Properties|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.attest.ZAttestReq.$Properties;
                }

                interface IZAttestResponse extends org.lfedge.eve.attest.ZAttestResponse.$Properties {
                }

                class ZAttestResponse {
                    constructor(properties?: org.lfedge.eve.attest.ZAttestResponse.$Properties);
                    $unknowns?: Uint8Array[];
                    respType: org.lfedge.eve.attest.ZAttestRespType;
                    nonce?: (org.lfedge.eve.attest.ZAttestNonceResp.$Properties|null);
                    quoteResp?: (org.lfedge.eve.attest.ZAttestQuoteResp.$Properties|null);
                    storage_keys_resp?: (org.lfedge.eve.attest.AttestStorageKeysResp.$Properties|null);
                    static create(properties: org.lfedge.eve.attest.ZAttestResponse.$Shape): org.lfedge.eve.attest.ZAttestResponse & org.lfedge.eve.attest.ZAttestResponse.$Shape;
                    static create(properties?: org.lfedge.eve.attest.ZAttestResponse.$Properties): org.lfedge.eve.attest.ZAttestResponse;
                    static encode(message: org.lfedge.eve.attest.ZAttestResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.attest.ZAttestResponse & org.lfedge.eve.attest.ZAttestResponse.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.attest.ZAttestResponse;
                    static toObject(message: org.lfedge.eve.attest.ZAttestResponse, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ZAttestResponse {
                    interface $Properties {
                        respType?: (org.lfedge.eve.attest.ZAttestRespType|null);
                        nonce?: (org.lfedge.eve.attest.ZAttestNonceResp.$Properties|null);
                        quoteResp?: (org.lfedge.eve.attest.ZAttestQuoteResp.$Properties|null);
                        storage_keys_resp?: (org.lfedge.eve.attest.AttestStorageKeysResp.$Properties|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.attest.ZAttestResponse.$Properties;
                }

                enum ZAttestReqType {
                    ATTEST_REQ_NONE = 0,
                    ATTEST_REQ_CERT = 1,
                    ATTEST_REQ_NONCE = 2,
                    ATTEST_REQ_QUOTE = 3,
                    Z_ATTEST_REQ_TYPE_STORE_KEYS = 4
                }

                enum ZAttestRespType {
                    ATTEST_RESP_NONE = 0,
                    ATTEST_RESP_CERT = 1,
                    ATTEST_RESP_NONCE = 2,
                    ATTEST_RESP_QUOTE_RESP = 3,
                    Z_ATTEST_RESP_TYPE_STORE_KEYS = 4
                }

                interface IZAttestNonceResp extends org.lfedge.eve.attest.ZAttestNonceResp.$Properties {
                }

                class ZAttestNonceResp {
                    constructor(properties?: org.lfedge.eve.attest.ZAttestNonceResp.$Properties);
                    $unknowns?: Uint8Array[];
                    nonce: Uint8Array;
                    static create(properties: org.lfedge.eve.attest.ZAttestNonceResp.$Shape): org.lfedge.eve.attest.ZAttestNonceResp & org.lfedge.eve.attest.ZAttestNonceResp.$Shape;
                    static create(properties?: org.lfedge.eve.attest.ZAttestNonceResp.$Properties): org.lfedge.eve.attest.ZAttestNonceResp;
                    static encode(message: org.lfedge.eve.attest.ZAttestNonceResp.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.attest.ZAttestNonceResp & org.lfedge.eve.attest.ZAttestNonceResp.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.attest.ZAttestNonceResp;
                    static toObject(message: org.lfedge.eve.attest.ZAttestNonceResp, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ZAttestNonceResp {
                    interface $Properties {
                        nonce?: (Uint8Array|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.attest.ZAttestNonceResp.$Properties;
                }

                interface IZAttestQuote extends org.lfedge.eve.attest.ZAttestQuote.$Properties {
                }

                class ZAttestQuote {
                    constructor(properties?: org.lfedge.eve.attest.ZAttestQuote.$Properties);
                    $unknowns?: Uint8Array[];
                    attestData: Uint8Array;
                    signature: Uint8Array;
                    pcr_values: org.lfedge.eve.attest.TpmPCRValue.$Properties[];
                    event_log: org.lfedge.eve.attest.TpmEventLogEntry.$Properties[];
                    versions: org.lfedge.eve.attest.AttestVersionInfo.$Properties[];
                    gps_info?: (org.lfedge.eve.attest.AttestGPSCoordinates.$Properties|null);
                    tpm_binary_event_log: Uint8Array;
                    static create(properties: org.lfedge.eve.attest.ZAttestQuote.$Shape): org.lfedge.eve.attest.ZAttestQuote & org.lfedge.eve.attest.ZAttestQuote.$Shape;
                    static create(properties?: org.lfedge.eve.attest.ZAttestQuote.$Properties): org.lfedge.eve.attest.ZAttestQuote;
                    static encode(message: org.lfedge.eve.attest.ZAttestQuote.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.attest.ZAttestQuote & org.lfedge.eve.attest.ZAttestQuote.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.attest.ZAttestQuote;
                    static toObject(message: org.lfedge.eve.attest.ZAttestQuote, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ZAttestQuote {
                    interface $Properties {
                        attestData?: (Uint8Array|null);
                        signature?: (Uint8Array|null);
                        pcr_values?: (org.lfedge.eve.attest.TpmPCRValue.$Properties[]|null);
                        event_log?: (org.lfedge.eve.attest.TpmEventLogEntry.$Properties[]|null);
                        versions?: (org.lfedge.eve.attest.AttestVersionInfo.$Properties[]|null);
                        gps_info?: (org.lfedge.eve.attest.AttestGPSCoordinates.$Properties|null);
                        tpm_binary_event_log?: (Uint8Array|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.attest.ZAttestQuote.$Properties;
                }

                interface ITpmPCRValue extends org.lfedge.eve.attest.TpmPCRValue.$Properties {
                }

                class TpmPCRValue {
                    constructor(properties?: org.lfedge.eve.attest.TpmPCRValue.$Properties);
                    $unknowns?: Uint8Array[];
                    index: number;
                    hash_algo: org.lfedge.eve.attest.TpmHashAlgo;
                    value: Uint8Array;
                    static create(properties: org.lfedge.eve.attest.TpmPCRValue.$Shape): org.lfedge.eve.attest.TpmPCRValue & org.lfedge.eve.attest.TpmPCRValue.$Shape;
                    static create(properties?: org.lfedge.eve.attest.TpmPCRValue.$Properties): org.lfedge.eve.attest.TpmPCRValue;
                    static encode(message: org.lfedge.eve.attest.TpmPCRValue.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.attest.TpmPCRValue & org.lfedge.eve.attest.TpmPCRValue.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.attest.TpmPCRValue;
                    static toObject(message: org.lfedge.eve.attest.TpmPCRValue, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace TpmPCRValue {
                    interface $Properties {
                        index?: (number|null);
                        hash_algo?: (org.lfedge.eve.attest.TpmHashAlgo|null);
                        value?: (Uint8Array|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.attest.TpmPCRValue.$Properties;
                }

                enum TpmHashAlgo {
                    TPM_HASH_ALGO_INVALID = 0,
                    TPM_HASH_ALGO_SHA1 = 1,
                    TPM_HASH_ALGO_SHA256 = 2,
                    TPM_HASH_ALGO_SHA512 = 3
                }

                interface ITpmEventLogEntry extends org.lfedge.eve.attest.TpmEventLogEntry.$Properties {
                }

                class TpmEventLogEntry {
                    constructor(properties?: org.lfedge.eve.attest.TpmEventLogEntry.$Properties);
                    $unknowns?: Uint8Array[];
                    index: number;
                    pcr_index: number;
                    event_type: number;
                    digest?: (org.lfedge.eve.attest.TpmEventDigest.$Properties|null);
                    event_data_binary: Uint8Array;
                    event_data_string: string;
                    event_binary_size: number;
                    static create(properties: org.lfedge.eve.attest.TpmEventLogEntry.$Shape): org.lfedge.eve.attest.TpmEventLogEntry & org.lfedge.eve.attest.TpmEventLogEntry.$Shape;
                    static create(properties?: org.lfedge.eve.attest.TpmEventLogEntry.$Properties): org.lfedge.eve.attest.TpmEventLogEntry;
                    static encode(message: org.lfedge.eve.attest.TpmEventLogEntry.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.attest.TpmEventLogEntry & org.lfedge.eve.attest.TpmEventLogEntry.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.attest.TpmEventLogEntry;
                    static toObject(message: org.lfedge.eve.attest.TpmEventLogEntry, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace TpmEventLogEntry {
                    interface $Properties {
                        index?: (number|null);
                        pcr_index?: (number|null);
                        event_type?: (number|null);
                        digest?: (org.lfedge.eve.attest.TpmEventDigest.$Properties|null);
                        event_data_binary?: (Uint8Array|null);
                        event_data_string?: (string|null);
                        event_binary_size?: (number|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.attest.TpmEventLogEntry.$Properties;
                }

                interface ITpmEventDigest extends org.lfedge.eve.attest.TpmEventDigest.$Properties {
                }

                class TpmEventDigest {
                    constructor(properties?: org.lfedge.eve.attest.TpmEventDigest.$Properties);
                    $unknowns?: Uint8Array[];
                    hash_algo: org.lfedge.eve.attest.TpmHashAlgo;
                    digest: Uint8Array;
                    static create(properties: org.lfedge.eve.attest.TpmEventDigest.$Shape): org.lfedge.eve.attest.TpmEventDigest & org.lfedge.eve.attest.TpmEventDigest.$Shape;
                    static create(properties?: org.lfedge.eve.attest.TpmEventDigest.$Properties): org.lfedge.eve.attest.TpmEventDigest;
                    static encode(message: org.lfedge.eve.attest.TpmEventDigest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.attest.TpmEventDigest & org.lfedge.eve.attest.TpmEventDigest.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.attest.TpmEventDigest;
                    static toObject(message: org.lfedge.eve.attest.TpmEventDigest, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace TpmEventDigest {
                    interface $Properties {
                        hash_algo?: (org.lfedge.eve.attest.TpmHashAlgo|null);
                        digest?: (Uint8Array|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.attest.TpmEventDigest.$Properties;
                }

                interface IAttestVersionInfo extends org.lfedge.eve.attest.AttestVersionInfo.$Properties {
                }

                class AttestVersionInfo {
                    constructor(properties?: org.lfedge.eve.attest.AttestVersionInfo.$Properties);
                    $unknowns?: Uint8Array[];
                    version_type: org.lfedge.eve.attest.AttestVersionType;
                    version: string;
                    static create(properties: org.lfedge.eve.attest.AttestVersionInfo.$Shape): org.lfedge.eve.attest.AttestVersionInfo & org.lfedge.eve.attest.AttestVersionInfo.$Shape;
                    static create(properties?: org.lfedge.eve.attest.AttestVersionInfo.$Properties): org.lfedge.eve.attest.AttestVersionInfo;
                    static encode(message: org.lfedge.eve.attest.AttestVersionInfo.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.attest.AttestVersionInfo & org.lfedge.eve.attest.AttestVersionInfo.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.attest.AttestVersionInfo;
                    static toObject(message: org.lfedge.eve.attest.AttestVersionInfo, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace AttestVersionInfo {
                    interface $Properties {
                        version_type?: (org.lfedge.eve.attest.AttestVersionType|null);
                        version?: (string|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.attest.AttestVersionInfo.$Properties;
                }

                enum AttestVersionType {
                    ATTEST_VERSION_TYPE_INVALID = 0,
                    ATTEST_VERSION_TYPE_EVE = 1,
                    ATTEST_VERSION_TYPE_FIRMWARE = 2
                }

                interface IAttestGPSCoordinates extends org.lfedge.eve.attest.AttestGPSCoordinates.$Properties {
                }

                class AttestGPSCoordinates {
                    constructor(properties?: org.lfedge.eve.attest.AttestGPSCoordinates.$Properties);
                    $unknowns?: Uint8Array[];
                    gps_input: org.lfedge.eve.attest.AttestGPSInput;
                    latitude: number;
                    longitude: number;
                    static create(properties: org.lfedge.eve.attest.AttestGPSCoordinates.$Shape): org.lfedge.eve.attest.AttestGPSCoordinates & org.lfedge.eve.attest.AttestGPSCoordinates.$Shape;
                    static create(properties?: org.lfedge.eve.attest.AttestGPSCoordinates.$Properties): org.lfedge.eve.attest.AttestGPSCoordinates;
                    static encode(message: org.lfedge.eve.attest.AttestGPSCoordinates.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.attest.AttestGPSCoordinates & org.lfedge.eve.attest.AttestGPSCoordinates.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.attest.AttestGPSCoordinates;
                    static toObject(message: org.lfedge.eve.attest.AttestGPSCoordinates, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace AttestGPSCoordinates {
                    interface $Properties {
                        gps_input?: (org.lfedge.eve.attest.AttestGPSInput|null);
                        latitude?: (number|null);
                        longitude?: (number|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.attest.AttestGPSCoordinates.$Properties;
                }

                enum AttestGPSInput {
                    ATTEST_GPS_INPUT_INVALID = 0,
                    ATTEST_GPS_INPUT_PRESENT = 1,
                    ATTEST_GPS_INPUT_ABSENT = 2
                }

                interface IZAttestQuoteResp extends org.lfedge.eve.attest.ZAttestQuoteResp.$Properties {
                }

                class ZAttestQuoteResp {
                    constructor(properties?: org.lfedge.eve.attest.ZAttestQuoteResp.$Properties);
                    $unknowns?: Uint8Array[];
                    response: org.lfedge.eve.attest.ZAttestResponseCode;
                    integrity_token: Uint8Array;
                    keys: org.lfedge.eve.attest.AttestVolumeKey.$Properties[];
                    static create(properties: org.lfedge.eve.attest.ZAttestQuoteResp.$Shape): org.lfedge.eve.attest.ZAttestQuoteResp & org.lfedge.eve.attest.ZAttestQuoteResp.$Shape;
                    static create(properties?: org.lfedge.eve.attest.ZAttestQuoteResp.$Properties): org.lfedge.eve.attest.ZAttestQuoteResp;
                    static encode(message: org.lfedge.eve.attest.ZAttestQuoteResp.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.attest.ZAttestQuoteResp & org.lfedge.eve.attest.ZAttestQuoteResp.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.attest.ZAttestQuoteResp;
                    static toObject(message: org.lfedge.eve.attest.ZAttestQuoteResp, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ZAttestQuoteResp {
                    interface $Properties {
                        response?: (org.lfedge.eve.attest.ZAttestResponseCode|null);
                        integrity_token?: (Uint8Array|null);
                        keys?: (org.lfedge.eve.attest.AttestVolumeKey.$Properties[]|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.attest.ZAttestQuoteResp.$Properties;
                }

                enum ZAttestResponseCode {
                    Z_ATTEST_RESPONSE_CODE_INVALID = 0,
                    Z_ATTEST_RESPONSE_CODE_SUCCESS = 1,
                    Z_ATTEST_RESPONSE_CODE_NONCE_MISMATCH = 2,
                    Z_ATTEST_RESPONSE_CODE_NO_CERT_FOUND = 3,
                    Z_ATTEST_RESPONSE_CODE_QUOTE_FAILED = 4
                }

                interface IAttestVolumeKey extends org.lfedge.eve.attest.AttestVolumeKey.$Properties {
                }

                class AttestVolumeKey {
                    constructor(properties?: org.lfedge.eve.attest.AttestVolumeKey.$Properties);
                    $unknowns?: Uint8Array[];
                    key_type: org.lfedge.eve.attest.AttestVolumeKeyType;
                    key: Uint8Array;
                    has_policy_pcr_list: boolean;
                    policy_pcr_list?: (org.lfedge.eve.attest.AttestPolicyPcrList.$Properties|null);
                    static create(properties: org.lfedge.eve.attest.AttestVolumeKey.$Shape): org.lfedge.eve.attest.AttestVolumeKey & org.lfedge.eve.attest.AttestVolumeKey.$Shape;
                    static create(properties?: org.lfedge.eve.attest.AttestVolumeKey.$Properties): org.lfedge.eve.attest.AttestVolumeKey;
                    static encode(message: org.lfedge.eve.attest.AttestVolumeKey.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.attest.AttestVolumeKey & org.lfedge.eve.attest.AttestVolumeKey.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.attest.AttestVolumeKey;
                    static toObject(message: org.lfedge.eve.attest.AttestVolumeKey, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace AttestVolumeKey {
                    interface $Properties {
                        key_type?: (org.lfedge.eve.attest.AttestVolumeKeyType|null);
                        key?: (Uint8Array|null);
                        has_policy_pcr_list?: (boolean|null);
                        policy_pcr_list?: (org.lfedge.eve.attest.AttestPolicyPcrList.$Properties|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.attest.AttestVolumeKey.$Properties;
                }

                enum AttestVolumeKeyType {
                    ATTEST_VOLUME_KEY_TYPE_INVALID = 0,
                    ATTEST_VOLUME_KEY_TYPE_VSK = 1
                }

                interface IAttestPolicyPcrList extends org.lfedge.eve.attest.AttestPolicyPcrList.$Properties {
                }

                class AttestPolicyPcrList {
                    constructor(properties?: org.lfedge.eve.attest.AttestPolicyPcrList.$Properties);
                    $unknowns?: Uint8Array[];
                    pcr_indices: number[];
                    policy_id: number;
                    static create(properties: org.lfedge.eve.attest.AttestPolicyPcrList.$Shape): org.lfedge.eve.attest.AttestPolicyPcrList & org.lfedge.eve.attest.AttestPolicyPcrList.$Shape;
                    static create(properties?: org.lfedge.eve.attest.AttestPolicyPcrList.$Properties): org.lfedge.eve.attest.AttestPolicyPcrList;
                    static encode(message: org.lfedge.eve.attest.AttestPolicyPcrList.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.attest.AttestPolicyPcrList & org.lfedge.eve.attest.AttestPolicyPcrList.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.attest.AttestPolicyPcrList;
                    static toObject(message: org.lfedge.eve.attest.AttestPolicyPcrList, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace AttestPolicyPcrList {
                    interface $Properties {
                        pcr_indices?: (number[]|null);
                        policy_id?: (number|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.attest.AttestPolicyPcrList.$Properties;
                }

                interface IAttestStorageKeys extends org.lfedge.eve.attest.AttestStorageKeys.$Properties {
                }

                class AttestStorageKeys {
                    constructor(properties?: org.lfedge.eve.attest.AttestStorageKeys.$Properties);
                    $unknowns?: Uint8Array[];
                    integrity_token: Uint8Array;
                    keys: org.lfedge.eve.attest.AttestVolumeKey.$Properties[];
                    static create(properties: org.lfedge.eve.attest.AttestStorageKeys.$Shape): org.lfedge.eve.attest.AttestStorageKeys & org.lfedge.eve.attest.AttestStorageKeys.$Shape;
                    static create(properties?: org.lfedge.eve.attest.AttestStorageKeys.$Properties): org.lfedge.eve.attest.AttestStorageKeys;
                    static encode(message: org.lfedge.eve.attest.AttestStorageKeys.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.attest.AttestStorageKeys & org.lfedge.eve.attest.AttestStorageKeys.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.attest.AttestStorageKeys;
                    static toObject(message: org.lfedge.eve.attest.AttestStorageKeys, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace AttestStorageKeys {
                    interface $Properties {
                        integrity_token?: (Uint8Array|null);
                        keys?: (org.lfedge.eve.attest.AttestVolumeKey.$Properties[]|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.attest.AttestStorageKeys.$Properties;
                }

                interface IAttestStorageKeysResp extends org.lfedge.eve.attest.AttestStorageKeysResp.$Properties {
                }

                class AttestStorageKeysResp {
                    constructor(properties?: org.lfedge.eve.attest.AttestStorageKeysResp.$Properties);
                    $unknowns?: Uint8Array[];
                    response: org.lfedge.eve.attest.AttestStorageKeysResponseCode;
                    static create(properties: org.lfedge.eve.attest.AttestStorageKeysResp.$Shape): org.lfedge.eve.attest.AttestStorageKeysResp & org.lfedge.eve.attest.AttestStorageKeysResp.$Shape;
                    static create(properties?: org.lfedge.eve.attest.AttestStorageKeysResp.$Properties): org.lfedge.eve.attest.AttestStorageKeysResp;
                    static encode(message: org.lfedge.eve.attest.AttestStorageKeysResp.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.attest.AttestStorageKeysResp & org.lfedge.eve.attest.AttestStorageKeysResp.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.attest.AttestStorageKeysResp;
                    static toObject(message: org.lfedge.eve.attest.AttestStorageKeysResp, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace AttestStorageKeysResp {
                    interface $Properties {
                        response?: (org.lfedge.eve.attest.AttestStorageKeysResponseCode|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.attest.AttestStorageKeysResp.$Properties;
                }

                enum AttestStorageKeysResponseCode {
                    ATTEST_STORAGE_KEYS_RESPONSE_CODE_INVALID = 0,
                    ATTEST_STORAGE_KEYS_RESPONSE_CODE_SUCCESS = 1,
                    ATTEST_STORAGE_KEYS_RESPONSE_CODE_ITOKEN_MISMATCH = 2
                }
            }

            namespace certs {

                interface IZControllerCert extends org.lfedge.eve.certs.ZControllerCert.$Properties {
                }

                class ZControllerCert {
                    constructor(properties?: org.lfedge.eve.certs.ZControllerCert.$Properties);
                    $unknowns?: Uint8Array[];
                    certs: org.lfedge.eve.certs.ZCert.$Properties[];
                    static create(properties: org.lfedge.eve.certs.ZControllerCert.$Shape): org.lfedge.eve.certs.ZControllerCert & org.lfedge.eve.certs.ZControllerCert.$Shape;
                    static create(properties?: org.lfedge.eve.certs.ZControllerCert.$Properties): org.lfedge.eve.certs.ZControllerCert;
                    static encode(message: org.lfedge.eve.certs.ZControllerCert.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.certs.ZControllerCert & org.lfedge.eve.certs.ZControllerCert.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.certs.ZControllerCert;
                    static toObject(message: org.lfedge.eve.certs.ZControllerCert, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ZControllerCert {
                    interface $Properties {
                        certs?: (org.lfedge.eve.certs.ZCert.$Properties[]|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.certs.ZControllerCert.$Properties;
                }

                interface IZCert extends org.lfedge.eve.certs.ZCert.$Properties {
                }

                class ZCert {
                    constructor(properties?: org.lfedge.eve.certs.ZCert.$Properties);
                    $unknowns?: Uint8Array[];
                    hashAlgo: org.lfedge.eve.common.HashAlgorithm;
                    certHash: Uint8Array;
                    type: org.lfedge.eve.certs.ZCertType;
                    cert: Uint8Array;
                    attributes?: (org.lfedge.eve.certs.ZCertAttr.$Properties|null);
                    meta_data_items: org.lfedge.eve.certs.ZCertMetaData.$Properties[];
                    static create(properties: org.lfedge.eve.certs.ZCert.$Shape): org.lfedge.eve.certs.ZCert & org.lfedge.eve.certs.ZCert.$Shape;
                    static create(properties?: org.lfedge.eve.certs.ZCert.$Properties): org.lfedge.eve.certs.ZCert;
                    static encode(message: org.lfedge.eve.certs.ZCert.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.certs.ZCert & org.lfedge.eve.certs.ZCert.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.certs.ZCert;
                    static toObject(message: org.lfedge.eve.certs.ZCert, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ZCert {
                    interface $Properties {
                        hashAlgo?: (org.lfedge.eve.common.HashAlgorithm|null);
                        certHash?: (Uint8Array|null);
                        type?: (org.lfedge.eve.certs.ZCertType|null);
                        cert?: (Uint8Array|null);
                        attributes?: (org.lfedge.eve.certs.ZCertAttr.$Properties|null);
                        meta_data_items?: (org.lfedge.eve.certs.ZCertMetaData.$Properties[]|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.certs.ZCert.$Properties;
                }

                enum ZCertType {
                    CERT_TYPE_CONTROLLER_NONE = 0,
                    CERT_TYPE_CONTROLLER_SIGNING = 1,
                    CERT_TYPE_CONTROLLER_INTERMEDIATE = 2,
                    CERT_TYPE_CONTROLLER_ECDH_EXCHANGE = 3,
                    CERT_TYPE_DEVICE_ONBOARDING = 10,
                    CERT_TYPE_DEVICE_RESTRICTED_SIGNING = 11,
                    CERT_TYPE_DEVICE_ENDORSEMENT_RSA = 12,
                    CERT_TYPE_DEVICE_ECDH_EXCHANGE = 13
                }

                interface IZCertAttr extends org.lfedge.eve.certs.ZCertAttr.$Properties {
                }

                class ZCertAttr {
                    constructor(properties?: org.lfedge.eve.certs.ZCertAttr.$Properties);
                    $unknowns?: Uint8Array[];
                    is_mutable: boolean;
                    is_tpm: boolean;
                    static create(properties: org.lfedge.eve.certs.ZCertAttr.$Shape): org.lfedge.eve.certs.ZCertAttr & org.lfedge.eve.certs.ZCertAttr.$Shape;
                    static create(properties?: org.lfedge.eve.certs.ZCertAttr.$Properties): org.lfedge.eve.certs.ZCertAttr;
                    static encode(message: org.lfedge.eve.certs.ZCertAttr.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.certs.ZCertAttr & org.lfedge.eve.certs.ZCertAttr.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.certs.ZCertAttr;
                    static toObject(message: org.lfedge.eve.certs.ZCertAttr, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ZCertAttr {
                    interface $Properties {
                        is_mutable?: (boolean|null);
                        is_tpm?: (boolean|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.certs.ZCertAttr.$Properties;
                }

                interface IZCertMetaData extends org.lfedge.eve.certs.ZCertMetaData.$Properties {
                }

                class ZCertMetaData {
                    constructor(properties?: org.lfedge.eve.certs.ZCertMetaData.$Properties);
                    $unknowns?: Uint8Array[];
                    type: org.lfedge.eve.certs.ZCertMetaDataType;
                    meta_data: Uint8Array;
                    static create(properties: org.lfedge.eve.certs.ZCertMetaData.$Shape): org.lfedge.eve.certs.ZCertMetaData & org.lfedge.eve.certs.ZCertMetaData.$Shape;
                    static create(properties?: org.lfedge.eve.certs.ZCertMetaData.$Properties): org.lfedge.eve.certs.ZCertMetaData;
                    static encode(message: org.lfedge.eve.certs.ZCertMetaData.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.certs.ZCertMetaData & org.lfedge.eve.certs.ZCertMetaData.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.certs.ZCertMetaData;
                    static toObject(message: org.lfedge.eve.certs.ZCertMetaData, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ZCertMetaData {
                    interface $Properties {
                        type?: (org.lfedge.eve.certs.ZCertMetaDataType|null);
                        meta_data?: (Uint8Array|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.certs.ZCertMetaData.$Properties;
                }

                enum ZCertMetaDataType {
                    Z_CERT_META_DATA_TYPE_INVALID = 0,
                    Z_CERT_META_DATA_TYPE_TPM2_PUBLIC = 1
                }
            }

            namespace common {

                enum HashAlgorithm {
                    HASH_ALGORITHM_INVALID = 0,
                    HASH_ALGORITHM_SHA256_16BYTES = 1,
                    HASH_ALGORITHM_SHA256_32BYTES = 2
                }

                interface ICipherContext extends org.lfedge.eve.common.CipherContext.$Properties {
                }

                class CipherContext {
                    constructor(properties?: org.lfedge.eve.common.CipherContext.$Properties);
                    $unknowns?: Uint8Array[];
                    contextId: string;
                    hashScheme: org.lfedge.eve.common.HashAlgorithm;
                    keyExchangeScheme: org.lfedge.eve.common.KeyExchangeScheme;
                    encryptionScheme: org.lfedge.eve.common.EncryptionScheme;
                    deviceCertHash: Uint8Array;
                    controllerCertHash: Uint8Array;
                    static create(properties: org.lfedge.eve.common.CipherContext.$Shape): org.lfedge.eve.common.CipherContext & org.lfedge.eve.common.CipherContext.$Shape;
                    static create(properties?: org.lfedge.eve.common.CipherContext.$Properties): org.lfedge.eve.common.CipherContext;
                    static encode(message: org.lfedge.eve.common.CipherContext.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.common.CipherContext & org.lfedge.eve.common.CipherContext.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.common.CipherContext;
                    static toObject(message: org.lfedge.eve.common.CipherContext, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace CipherContext {
                    interface $Properties {
                        contextId?: (string|null);
                        hashScheme?: (org.lfedge.eve.common.HashAlgorithm|null);
                        keyExchangeScheme?: (org.lfedge.eve.common.KeyExchangeScheme|null);
                        encryptionScheme?: (org.lfedge.eve.common.EncryptionScheme|null);
                        deviceCertHash?: (Uint8Array|null);
                        controllerCertHash?: (Uint8Array|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.common.CipherContext.$Properties;
                }

                interface ICipherBlock extends org.lfedge.eve.common.CipherBlock.$Properties {
                }

                class CipherBlock {
                    constructor(properties?: org.lfedge.eve.common.CipherBlock.$Properties);
                    $unknowns?: Uint8Array[];
                    cipherContextId: string;
                    initialValue: Uint8Array;
                    cipherData: Uint8Array;
                    clearTextSha256: Uint8Array;
                    static create(properties: org.lfedge.eve.common.CipherBlock.$Shape): org.lfedge.eve.common.CipherBlock & org.lfedge.eve.common.CipherBlock.$Shape;
                    static create(properties?: org.lfedge.eve.common.CipherBlock.$Properties): org.lfedge.eve.common.CipherBlock;
                    static encode(message: org.lfedge.eve.common.CipherBlock.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.common.CipherBlock & org.lfedge.eve.common.CipherBlock.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.common.CipherBlock;
                    static toObject(message: org.lfedge.eve.common.CipherBlock, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace CipherBlock {
                    interface $Properties {
                        cipherContextId?: (string|null);
                        initialValue?: (Uint8Array|null);
                        cipherData?: (Uint8Array|null);
                        clearTextSha256?: (Uint8Array|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.common.CipherBlock.$Properties;
                }

                enum KeyExchangeScheme {
                    KEA_NONE = 0,
                    KEA_ECDH = 1
                }

                enum EncryptionScheme {
                    SA_NONE = 0,
                    SA_AES_256_CFB = 1
                }

                enum PhyIoType {
                    PhyIoNoop = 0,
                    PhyIoNetEth = 1,
                    PhyIoUSB = 2,
                    PhyIoCOM = 3,
                    PhyIoAudio = 4,
                    PhyIoNetWLAN = 5,
                    PhyIoNetWWAN = 6,
                    PhyIoHDMI = 7,
                    PhyIoNVMEStorage = 9,
                    PhyIoSATAStorage = 10,
                    PhyIoNetEthPF = 11,
                    PhyIoNetEthVF = 12,
                    PhyIoUSBController = 13,
                    PhyIoUSBDevice = 14,
                    PhyIoCAN = 15,
                    PhyIoVCAN = 16,
                    PhyIoLCAN = 17,
                    PhyIoOther = 255
                }

                interface IipRange extends org.lfedge.eve.common.ipRange.$Properties {
                }

                class ipRange {
                    constructor(properties?: org.lfedge.eve.common.ipRange.$Properties);
                    $unknowns?: Uint8Array[];
                    start: string;
                    end: string;
                    static create(properties: org.lfedge.eve.common.ipRange.$Shape): org.lfedge.eve.common.ipRange & org.lfedge.eve.common.ipRange.$Shape;
                    static create(properties?: org.lfedge.eve.common.ipRange.$Properties): org.lfedge.eve.common.ipRange;
                    static encode(message: org.lfedge.eve.common.ipRange.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.common.ipRange & org.lfedge.eve.common.ipRange.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.common.ipRange;
                    static toObject(message: org.lfedge.eve.common.ipRange, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ipRange {
                    interface $Properties {
                        start?: (string|null);
                        end?: (string|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.common.ipRange.$Properties;
                }

                enum proxyProto {
                    PROXY_HTTP = 0,
                    PROXY_HTTPS = 1,
                    PROXY_SOCKS = 2,
                    PROXY_FTP = 3,
                    PROXY_OTHER = 255
                }

                interface IProxyServer extends org.lfedge.eve.common.ProxyServer.$Properties {
                }

                class ProxyServer {
                    constructor(properties?: org.lfedge.eve.common.ProxyServer.$Properties);
                    $unknowns?: Uint8Array[];
                    proto: org.lfedge.eve.common.proxyProto;
                    server: string;
                    port: number;
                    static create(properties: org.lfedge.eve.common.ProxyServer.$Shape): org.lfedge.eve.common.ProxyServer & org.lfedge.eve.common.ProxyServer.$Shape;
                    static create(properties?: org.lfedge.eve.common.ProxyServer.$Properties): org.lfedge.eve.common.ProxyServer;
                    static encode(message: org.lfedge.eve.common.ProxyServer.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.common.ProxyServer & org.lfedge.eve.common.ProxyServer.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.common.ProxyServer;
                    static toObject(message: org.lfedge.eve.common.ProxyServer, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ProxyServer {
                    interface $Properties {
                        proto?: (org.lfedge.eve.common.proxyProto|null);
                        server?: (string|null);
                        port?: (number|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.common.ProxyServer.$Properties;
                }

                interface IProxyConfig extends org.lfedge.eve.common.ProxyConfig.$Properties {
                }

                class ProxyConfig {
                    constructor(properties?: org.lfedge.eve.common.ProxyConfig.$Properties);
                    $unknowns?: Uint8Array[];
                    networkProxyEnable: boolean;
                    proxies: org.lfedge.eve.common.ProxyServer.$Properties[];
                    exceptions: string;
                    pacfile: string;
                    networkProxyURL: string;
                    proxyCertPEM: Uint8Array[];
                    static create(properties: org.lfedge.eve.common.ProxyConfig.$Shape): org.lfedge.eve.common.ProxyConfig & org.lfedge.eve.common.ProxyConfig.$Shape;
                    static create(properties?: org.lfedge.eve.common.ProxyConfig.$Properties): org.lfedge.eve.common.ProxyConfig;
                    static encode(message: org.lfedge.eve.common.ProxyConfig.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.common.ProxyConfig & org.lfedge.eve.common.ProxyConfig.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.common.ProxyConfig;
                    static toObject(message: org.lfedge.eve.common.ProxyConfig, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ProxyConfig {
                    interface $Properties {
                        networkProxyEnable?: (boolean|null);
                        proxies?: (org.lfedge.eve.common.ProxyServer.$Properties[]|null);
                        exceptions?: (string|null);
                        pacfile?: (string|null);
                        networkProxyURL?: (string|null);
                        proxyCertPEM?: (Uint8Array[]|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.common.ProxyConfig.$Properties;
                }

                interface IZnetStaticDNSEntry extends org.lfedge.eve.common.ZnetStaticDNSEntry.$Properties {
                }

                class ZnetStaticDNSEntry {
                    constructor(properties?: org.lfedge.eve.common.ZnetStaticDNSEntry.$Properties);
                    $unknowns?: Uint8Array[];
                    HostName: string;
                    Address: string[];
                    static create(properties: org.lfedge.eve.common.ZnetStaticDNSEntry.$Shape): org.lfedge.eve.common.ZnetStaticDNSEntry & org.lfedge.eve.common.ZnetStaticDNSEntry.$Shape;
                    static create(properties?: org.lfedge.eve.common.ZnetStaticDNSEntry.$Properties): org.lfedge.eve.common.ZnetStaticDNSEntry;
                    static encode(message: org.lfedge.eve.common.ZnetStaticDNSEntry.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.common.ZnetStaticDNSEntry & org.lfedge.eve.common.ZnetStaticDNSEntry.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.common.ZnetStaticDNSEntry;
                    static toObject(message: org.lfedge.eve.common.ZnetStaticDNSEntry, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ZnetStaticDNSEntry {
                    interface $Properties {
                        HostName?: (string|null);
                        Address?: (string[]|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.common.ZnetStaticDNSEntry.$Properties;
                }

                enum DHCPType {
                    DHCPNoop = 0,
                    Static = 1,
                    DHCPNone = 2,
                    Client = 4
                }

                interface Iipspec extends org.lfedge.eve.common.ipspec.$Properties {
                }

                class ipspec {
                    constructor(properties?: org.lfedge.eve.common.ipspec.$Properties);
                    $unknowns?: Uint8Array[];
                    dhcp: org.lfedge.eve.common.DHCPType;
                    subnet: string;
                    gateway: string;
                    domain: string;
                    ntp: string;
                    more_ntp: string[];
                    dns: string[];
                    dhcpRange?: (org.lfedge.eve.common.ipRange.$Properties|null);
                    dhcp_options_ignore?: (org.lfedge.eve.common.DhcpOptionsIgnore.$Properties|null);
                    static create(properties: org.lfedge.eve.common.ipspec.$Shape): org.lfedge.eve.common.ipspec & org.lfedge.eve.common.ipspec.$Shape;
                    static create(properties?: org.lfedge.eve.common.ipspec.$Properties): org.lfedge.eve.common.ipspec;
                    static encode(message: org.lfedge.eve.common.ipspec.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.common.ipspec & org.lfedge.eve.common.ipspec.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.common.ipspec;
                    static toObject(message: org.lfedge.eve.common.ipspec, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ipspec {
                    interface $Properties {
                        dhcp?: (org.lfedge.eve.common.DHCPType|null);
                        subnet?: (string|null);
                        gateway?: (string|null);
                        domain?: (string|null);
                        ntp?: (string|null);
                        more_ntp?: (string[]|null);
                        dns?: (string[]|null);
                        dhcpRange?: (org.lfedge.eve.common.ipRange.$Properties|null);
                        dhcp_options_ignore?: (org.lfedge.eve.common.DhcpOptionsIgnore.$Properties|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.common.ipspec.$Properties;
                }

                interface IDhcpOptionsIgnore extends org.lfedge.eve.common.DhcpOptionsIgnore.$Properties {
                }

                class DhcpOptionsIgnore {
                    constructor(properties?: org.lfedge.eve.common.DhcpOptionsIgnore.$Properties);
                    $unknowns?: Uint8Array[];
                    ntp_server_exclusively: boolean;
                    ip_addresses_exclusively: boolean;
                    dns_config_exclusively: boolean;
                    gateways_exclusively: boolean;
                    static create(properties: org.lfedge.eve.common.DhcpOptionsIgnore.$Shape): org.lfedge.eve.common.DhcpOptionsIgnore & org.lfedge.eve.common.DhcpOptionsIgnore.$Shape;
                    static create(properties?: org.lfedge.eve.common.DhcpOptionsIgnore.$Properties): org.lfedge.eve.common.DhcpOptionsIgnore;
                    static encode(message: org.lfedge.eve.common.DhcpOptionsIgnore.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.common.DhcpOptionsIgnore & org.lfedge.eve.common.DhcpOptionsIgnore.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.common.DhcpOptionsIgnore;
                    static toObject(message: org.lfedge.eve.common.DhcpOptionsIgnore, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace DhcpOptionsIgnore {
                    interface $Properties {
                        ntp_server_exclusively?: (boolean|null);
                        ip_addresses_exclusively?: (boolean|null);
                        dns_config_exclusively?: (boolean|null);
                        gateways_exclusively?: (boolean|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.common.DhcpOptionsIgnore.$Properties;
                }

                enum NetworkType {
                    NETWORKTYPENOOP = 0,
                    V4 = 4,
                    V6 = 6,
                    CryptoV4 = 24,
                    CryptoV6 = 26,
                    CryptoEID = 14,
                    V4Only = 7,
                    V6Only = 8,
                    DualV4V6 = 9
                }

                enum NetworkConfigOrigin {
                    NETWORK_CONFIG_ORIGIN_UNSPECIFIED = 0,
                    NETWORK_CONFIG_ORIGIN_CONTROLLER = 1,
                    NETWORK_CONFIG_ORIGIN_BOOTSTRAP = 2,
                    NETWORK_CONFIG_ORIGIN_OVERRIDE = 3,
                    NETWORK_CONFIG_ORIGIN_LASTRESORT = 4,
                    NETWORK_CONFIG_ORIGIN_TUI = 5,
                    NETWORK_CONFIG_ORIGIN_LOC = 6,
                    NETWORK_CONFIG_ORIGIN_LPS = 7
                }

                interface IPortConfigSource extends org.lfedge.eve.common.PortConfigSource.$Properties {
                }

                class PortConfigSource {
                    constructor(properties?: org.lfedge.eve.common.PortConfigSource.$Properties);
                    $unknowns?: Uint8Array[];
                    origin: org.lfedge.eve.common.NetworkConfigOrigin;
                    submitted_at?: (google.protobuf.Timestamp.$Properties|null);
                    static create(properties: org.lfedge.eve.common.PortConfigSource.$Shape): org.lfedge.eve.common.PortConfigSource & org.lfedge.eve.common.PortConfigSource.$Shape;
                    static create(properties?: org.lfedge.eve.common.PortConfigSource.$Properties): org.lfedge.eve.common.PortConfigSource;
                    static encode(message: org.lfedge.eve.common.PortConfigSource.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.common.PortConfigSource & org.lfedge.eve.common.PortConfigSource.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.common.PortConfigSource;
                    static toObject(message: org.lfedge.eve.common.PortConfigSource, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace PortConfigSource {
                    interface $Properties {
                        origin?: (org.lfedge.eve.common.NetworkConfigOrigin|null);
                        submitted_at?: (google.protobuf.Timestamp.$Properties|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.common.PortConfigSource.$Properties;
                }
            }

            namespace auth {

                interface IAuthContainer extends org.lfedge.eve.auth.AuthContainer.$Properties {
                }

                class AuthContainer {
                    constructor(properties?: org.lfedge.eve.auth.AuthContainer.$Properties);
                    $unknowns?: Uint8Array[];
                    protectedPayload?: (org.lfedge.eve.auth.AuthBody.$Properties|null);
                    algo: org.lfedge.eve.common.HashAlgorithm;
                    senderCertHash: Uint8Array;
                    signatureHash: Uint8Array;
                    senderCert: Uint8Array;
                    cipherContext?: (org.lfedge.eve.common.CipherContext.$Properties|null);
                    cipherData?: (org.lfedge.eve.common.CipherBlock.$Properties|null);
                    static create(properties: org.lfedge.eve.auth.AuthContainer.$Shape): org.lfedge.eve.auth.AuthContainer & org.lfedge.eve.auth.AuthContainer.$Shape;
                    static create(properties?: org.lfedge.eve.auth.AuthContainer.$Properties): org.lfedge.eve.auth.AuthContainer;
                    static encode(message: org.lfedge.eve.auth.AuthContainer.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.auth.AuthContainer & org.lfedge.eve.auth.AuthContainer.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.auth.AuthContainer;
                    static toObject(message: org.lfedge.eve.auth.AuthContainer, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace AuthContainer {
                    interface $Properties {
                        protectedPayload?: (org.lfedge.eve.auth.AuthBody.$Properties|null);
                        algo?: (org.lfedge.eve.common.HashAlgorithm|null);
                        senderCertHash?: (Uint8Array|null);
                        signatureHash?: (Uint8Array|null);
                        senderCert?: (Uint8Array|null);
                        cipherContext?: (org.lfedge.eve.common.CipherContext.$Properties|null);
                        cipherData?: (org.lfedge.eve.common.CipherBlock.$Properties|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.auth.AuthContainer.$Properties;
                }

                interface IAuthBody extends org.lfedge.eve.auth.AuthBody.$Properties {
                }

                class AuthBody {
                    constructor(properties?: org.lfedge.eve.auth.AuthBody.$Properties);
                    $unknowns?: Uint8Array[];
                    payload: Uint8Array;
                    static create(properties: org.lfedge.eve.auth.AuthBody.$Shape): org.lfedge.eve.auth.AuthBody & org.lfedge.eve.auth.AuthBody.$Shape;
                    static create(properties?: org.lfedge.eve.auth.AuthBody.$Properties): org.lfedge.eve.auth.AuthBody;
                    static encode(message: org.lfedge.eve.auth.AuthBody.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.auth.AuthBody & org.lfedge.eve.auth.AuthBody.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.auth.AuthBody;
                    static toObject(message: org.lfedge.eve.auth.AuthBody, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace AuthBody {
                    interface $Properties {
                        payload?: (Uint8Array|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.auth.AuthBody.$Properties;
                }
            }

            namespace config {

                interface IConfigRequest extends org.lfedge.eve.config.ConfigRequest.$Properties {
                }

                class ConfigRequest {
                    constructor(properties?: org.lfedge.eve.config.ConfigRequest.$Properties);
                    $unknowns?: Uint8Array[];
                    configHash: string;
                    integrity_token: Uint8Array;
                    static create(properties: org.lfedge.eve.config.ConfigRequest.$Shape): org.lfedge.eve.config.ConfigRequest & org.lfedge.eve.config.ConfigRequest.$Shape;
                    static create(properties?: org.lfedge.eve.config.ConfigRequest.$Properties): org.lfedge.eve.config.ConfigRequest;
                    static encode(message: org.lfedge.eve.config.ConfigRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.config.ConfigRequest & org.lfedge.eve.config.ConfigRequest.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.config.ConfigRequest;
                    static toObject(message: org.lfedge.eve.config.ConfigRequest, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ConfigRequest {
                    interface $Properties {
                        configHash?: (string|null);
                        integrity_token?: (Uint8Array|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.config.ConfigRequest.$Properties;
                }

                interface IConfigResponse extends org.lfedge.eve.config.ConfigResponse.$Properties {
                }

                class ConfigResponse {
                    constructor(properties?: org.lfedge.eve.config.ConfigResponse.$Properties);
                    $unknowns?: Uint8Array[];
                    config?: (org.lfedge.eve.config.EdgeDevConfig.$Properties|null);
                    configHash: string;
                    static create(properties: org.lfedge.eve.config.ConfigResponse.$Shape): org.lfedge.eve.config.ConfigResponse & org.lfedge.eve.config.ConfigResponse.$Shape;
                    static create(properties?: org.lfedge.eve.config.ConfigResponse.$Properties): org.lfedge.eve.config.ConfigResponse;
                    static encode(message: org.lfedge.eve.config.ConfigResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.config.ConfigResponse & org.lfedge.eve.config.ConfigResponse.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.config.ConfigResponse;
                    static toObject(message: org.lfedge.eve.config.ConfigResponse, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ConfigResponse {
                    interface $Properties {
                        config?: (org.lfedge.eve.config.EdgeDevConfig.$Properties|null);
                        configHash?: (string|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.config.ConfigResponse.$Properties;
                }

                interface IEdgeDevConfig extends org.lfedge.eve.config.EdgeDevConfig.$Properties {
                }

                class EdgeDevConfig {
                    constructor(properties?: org.lfedge.eve.config.EdgeDevConfig.$Properties);
                    $unknowns?: Uint8Array[];
                    id?: (org.lfedge.eve.config.UUIDandVersion.$Properties|null);
                    apps: org.lfedge.eve.config.AppInstanceConfig.$Properties[];
                    networks: org.lfedge.eve.config.NetworkConfig.$Properties[];
                    datastores: org.lfedge.eve.config.DatastoreConfig.$Properties[];
                    reboot?: (org.lfedge.eve.config.DeviceOpsCmd.$Properties|null);
                    backup?: (org.lfedge.eve.config.DeviceOpsCmd.$Properties|null);
                    configItems: org.lfedge.eve.config.ConfigItem.$Properties[];
                    systemAdapterList: org.lfedge.eve.config.SystemAdapter.$Properties[];
                    manufacturer: string;
                    productName: string;
                    networkInstances: org.lfedge.eve.config.NetworkInstanceConfig.$Properties[];
                    cipherContexts: org.lfedge.eve.common.CipherContext.$Properties[];
                    contentInfo: org.lfedge.eve.config.ContentTree.$Properties[];
                    volumes: org.lfedge.eve.config.Volume.$Properties[];
                    controllercert_confighash: string;
                    maintenance_mode: boolean;
                    controller_epoch: number;
                    baseos?: (org.lfedge.eve.config.BaseOS.$Properties|null);
                    global_profile: string;
                    local_profile_server: string;
                    profile_server_token: string;
                    shutdown?: (org.lfedge.eve.config.DeviceOpsCmd.$Properties|null);
                    device_name: string;
                    project_name: string;
                    project_id: string;
                    enterprise_name: string;
                    enterprise_id: string;
                    config_timestamp?: (google.protobuf.Timestamp.$Properties|null);
                    static create(properties: org.lfedge.eve.config.EdgeDevConfig.$Shape): org.lfedge.eve.config.EdgeDevConfig & org.lfedge.eve.config.EdgeDevConfig.$Shape;
                    static create(properties?: org.lfedge.eve.config.EdgeDevConfig.$Properties): org.lfedge.eve.config.EdgeDevConfig;
                    static encode(message: org.lfedge.eve.config.EdgeDevConfig.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.config.EdgeDevConfig & org.lfedge.eve.config.EdgeDevConfig.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.config.EdgeDevConfig;
                    static toObject(message: org.lfedge.eve.config.EdgeDevConfig, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace EdgeDevConfig {
                    interface $Properties {
                        id?: (org.lfedge.eve.config.UUIDandVersion.$Properties|null);
                        apps?: (org.lfedge.eve.config.AppInstanceConfig.$Properties[]|null);
                        networks?: (org.lfedge.eve.config.NetworkConfig.$Properties[]|null);
                        datastores?: (org.lfedge.eve.config.DatastoreConfig.$Properties[]|null);
                        reboot?: (org.lfedge.eve.config.DeviceOpsCmd.$Properties|null);
                        backup?: (org.lfedge.eve.config.DeviceOpsCmd.$Properties|null);
                        configItems?: (org.lfedge.eve.config.ConfigItem.$Properties[]|null);
                        systemAdapterList?: (org.lfedge.eve.config.SystemAdapter.$Properties[]|null);
                        manufacturer?: (string|null);
                        productName?: (string|null);
                        networkInstances?: (org.lfedge.eve.config.NetworkInstanceConfig.$Properties[]|null);
                        cipherContexts?: (org.lfedge.eve.common.CipherContext.$Properties[]|null);
                        contentInfo?: (org.lfedge.eve.config.ContentTree.$Properties[]|null);
                        volumes?: (org.lfedge.eve.config.Volume.$Properties[]|null);
                        controllercert_confighash?: (string|null);
                        maintenance_mode?: (boolean|null);
                        controller_epoch?: (number|null);
                        baseos?: (org.lfedge.eve.config.BaseOS.$Properties|null);
                        global_profile?: (string|null);
                        local_profile_server?: (string|null);
                        profile_server_token?: (string|null);
                        shutdown?: (org.lfedge.eve.config.DeviceOpsCmd.$Properties|null);
                        device_name?: (string|null);
                        project_name?: (string|null);
                        project_id?: (string|null);
                        enterprise_name?: (string|null);
                        enterprise_id?: (string|null);
                        config_timestamp?: (google.protobuf.Timestamp.$Properties|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.config.EdgeDevConfig.$Properties;
                }

                interface IUUIDandVersion extends org.lfedge.eve.config.UUIDandVersion.$Properties {
                }

                class UUIDandVersion {
                    constructor(properties?: org.lfedge.eve.config.UUIDandVersion.$Properties);
                    $unknowns?: Uint8Array[];
                    uuid: string;
                    version: string;
                    static create(properties: org.lfedge.eve.config.UUIDandVersion.$Shape): org.lfedge.eve.config.UUIDandVersion & org.lfedge.eve.config.UUIDandVersion.$Shape;
                    static create(properties?: org.lfedge.eve.config.UUIDandVersion.$Properties): org.lfedge.eve.config.UUIDandVersion;
                    static encode(message: org.lfedge.eve.config.UUIDandVersion.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.config.UUIDandVersion & org.lfedge.eve.config.UUIDandVersion.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.config.UUIDandVersion;
                    static toObject(message: org.lfedge.eve.config.UUIDandVersion, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace UUIDandVersion {
                    interface $Properties {
                        uuid?: (string|null);
                        version?: (string|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.config.UUIDandVersion.$Properties;
                }

                interface IAppInstanceConfig extends org.lfedge.eve.config.AppInstanceConfig.$Properties {
                }

                class AppInstanceConfig {
                    constructor(properties?: org.lfedge.eve.config.AppInstanceConfig.$Properties);
                    $unknowns?: Uint8Array[];
                    uuidandversion?: (org.lfedge.eve.config.UUIDandVersion.$Properties|null);
                    displayname: string;
                    fixedresources?: (org.lfedge.eve.config.VmConfig.$Properties|null);
                    drives: org.lfedge.eve.config.Drive.$Properties[];
                    activate: boolean;
                    interfaces: org.lfedge.eve.config.NetworkAdapter.$Properties[];
                    adapters: org.lfedge.eve.config.Adapter.$Properties[];
                    restart?: (org.lfedge.eve.config.InstanceOpsCmd.$Properties|null);
                    purge?: (org.lfedge.eve.config.InstanceOpsCmd.$Properties|null);
                    userData: string;
                    remoteConsole: boolean;
                    cipherData?: (org.lfedge.eve.common.CipherBlock.$Properties|null);
                    collectStatsIPAddr: string;
                    volumeRefList: org.lfedge.eve.config.VolumeRef.$Properties[];
                    metaDataType: org.lfedge.eve.config.MetaDataType;
                    profile_list: string[];
                    start_delay_in_seconds: number;
                    service: boolean;
                    cloud_init_version: number;
                    designated_node_id: string;
                    vm_resolution: string;
                    runtime_type: org.lfedge.eve.config.AppRuntimeType;
                    affinity: org.lfedge.eve.config.AffinityType;
                    static create(properties: org.lfedge.eve.config.AppInstanceConfig.$Shape): org.lfedge.eve.config.AppInstanceConfig & org.lfedge.eve.config.AppInstanceConfig.$Shape;
                    static create(properties?: org.lfedge.eve.config.AppInstanceConfig.$Properties): org.lfedge.eve.config.AppInstanceConfig;
                    static encode(message: org.lfedge.eve.config.AppInstanceConfig.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.config.AppInstanceConfig & org.lfedge.eve.config.AppInstanceConfig.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.config.AppInstanceConfig;
                    static toObject(message: org.lfedge.eve.config.AppInstanceConfig, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace AppInstanceConfig {
                    interface $Properties {
                        uuidandversion?: (org.lfedge.eve.config.UUIDandVersion.$Properties|null);
                        displayname?: (string|null);
                        fixedresources?: (org.lfedge.eve.config.VmConfig.$Properties|null);
                        drives?: (org.lfedge.eve.config.Drive.$Properties[]|null);
                        activate?: (boolean|null);
                        interfaces?: (org.lfedge.eve.config.NetworkAdapter.$Properties[]|null);
                        adapters?: (org.lfedge.eve.config.Adapter.$Properties[]|null);
                        restart?: (org.lfedge.eve.config.InstanceOpsCmd.$Properties|null);
                        purge?: (org.lfedge.eve.config.InstanceOpsCmd.$Properties|null);
                        userData?: (string|null);
                        remoteConsole?: (boolean|null);
                        cipherData?: (org.lfedge.eve.common.CipherBlock.$Properties|null);
                        collectStatsIPAddr?: (string|null);
                        volumeRefList?: (org.lfedge.eve.config.VolumeRef.$Properties[]|null);
                        metaDataType?: (org.lfedge.eve.config.MetaDataType|null);
                        profile_list?: (string[]|null);
                        start_delay_in_seconds?: (number|null);
                        service?: (boolean|null);
                        cloud_init_version?: (number|null);
                        designated_node_id?: (string|null);
                        vm_resolution?: (string|null);
                        runtime_type?: (org.lfedge.eve.config.AppRuntimeType|null);
                        affinity?: (org.lfedge.eve.config.AffinityType|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.config.AppInstanceConfig.$Properties;
                }

                interface IVmConfig extends org.lfedge.eve.config.VmConfig.$Properties {
                }

                class VmConfig {
                    constructor(properties?: org.lfedge.eve.config.VmConfig.$Properties);
                    $unknowns?: Uint8Array[];
                    kernel: string;
                    ramdisk: string;
                    memory: number;
                    maxmem: number;
                    vcpus: number;
                    maxcpus: number;
                    rootdev: string;
                    extraargs: string;
                    bootloader: string;
                    cpus: string;
                    devicetree: string;
                    dtdev: string[];
                    irqs: number[];
                    iomem: string[];
                    virtualizationMode: org.lfedge.eve.config.VmMode;
                    enable_vnc: boolean;
                    vncDisplay: number;
                    vncPasswd: string;
                    disableLogs: boolean;
                    pin_cpu: boolean;
                    vmm_maxmem: number;
                    enable_vnc_shim_vm: boolean;
                    boot_mode: org.lfedge.eve.config.VmBootMode;
                    enforce_network_interface_order: boolean;
                    enable_oem_win_license_key: boolean;
                    disable_vtpm: boolean;
                    static create(properties: org.lfedge.eve.config.VmConfig.$Shape): org.lfedge.eve.config.VmConfig & org.lfedge.eve.config.VmConfig.$Shape;
                    static create(properties?: org.lfedge.eve.config.VmConfig.$Properties): org.lfedge.eve.config.VmConfig;
                    static encode(message: org.lfedge.eve.config.VmConfig.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.config.VmConfig & org.lfedge.eve.config.VmConfig.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.config.VmConfig;
                    static toObject(message: org.lfedge.eve.config.VmConfig, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace VmConfig {
                    interface $Properties {
                        kernel?: (string|null);
                        ramdisk?: (string|null);
                        memory?: (number|null);
                        maxmem?: (number|null);
                        vcpus?: (number|null);
                        maxcpus?: (number|null);
                        rootdev?: (string|null);
                        extraargs?: (string|null);
                        bootloader?: (string|null);
                        cpus?: (string|null);
                        devicetree?: (string|null);
                        dtdev?: (string[]|null);
                        irqs?: (number[]|null);
                        iomem?: (string[]|null);
                        virtualizationMode?: (org.lfedge.eve.config.VmMode|null);
                        enable_vnc?: (boolean|null);
                        vncDisplay?: (number|null);
                        vncPasswd?: (string|null);
                        disableLogs?: (boolean|null);
                        pin_cpu?: (boolean|null);
                        vmm_maxmem?: (number|null);
                        enable_vnc_shim_vm?: (boolean|null);
                        boot_mode?: (org.lfedge.eve.config.VmBootMode|null);
                        enforce_network_interface_order?: (boolean|null);
                        enable_oem_win_license_key?: (boolean|null);
                        disable_vtpm?: (boolean|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.config.VmConfig.$Properties;
                }

                enum VmMode {
                    PV = 0,
                    HVM = 1,
                    Filler = 2,
                    FML = 3,
                    NOHYPER = 4,
                    LEGACY = 5
                }

                enum VmBootMode {
                    VM_BOOT_MODE_UNSPECIFIED = 0,
                    VM_BOOT_MODE_LEGACY = 1,
                    VM_BOOT_MODE_UEFI = 2
                }

                interface IDrive extends org.lfedge.eve.config.Drive.$Properties {
                }

                class Drive {
                    constructor(properties?: org.lfedge.eve.config.Drive.$Properties);
                    $unknowns?: Uint8Array[];
                    image?: (org.lfedge.eve.config.Image.$Properties|null);
                    readonly: boolean;
                    preserve: boolean;
                    drvtype: org.lfedge.eve.config.DriveType;
                    target: org.lfedge.eve.config.Target;
                    maxsizebytes: number;
                    static create(properties: org.lfedge.eve.config.Drive.$Shape): org.lfedge.eve.config.Drive & org.lfedge.eve.config.Drive.$Shape;
                    static create(properties?: org.lfedge.eve.config.Drive.$Properties): org.lfedge.eve.config.Drive;
                    static encode(message: org.lfedge.eve.config.Drive.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.config.Drive & org.lfedge.eve.config.Drive.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.config.Drive;
                    static toObject(message: org.lfedge.eve.config.Drive, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace Drive {
                    interface $Properties {
                        image?: (org.lfedge.eve.config.Image.$Properties|null);
                        readonly?: (boolean|null);
                        preserve?: (boolean|null);
                        drvtype?: (org.lfedge.eve.config.DriveType|null);
                        target?: (org.lfedge.eve.config.Target|null);
                        maxsizebytes?: (number|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.config.Drive.$Properties;
                }

                interface IImage extends org.lfedge.eve.config.Image.$Properties {
                }

                class Image {
                    constructor(properties?: org.lfedge.eve.config.Image.$Properties);
                    $unknowns?: Uint8Array[];
                    uuidandversion?: (org.lfedge.eve.config.UUIDandVersion.$Properties|null);
                    name: string;
                    sha256: string;
                    iformat: org.lfedge.eve.config.Format;
                    siginfo?: (org.lfedge.eve.config.SignatureInfo.$Properties|null);
                    dsId: string;
                    sizeBytes: number;
                    static create(properties: org.lfedge.eve.config.Image.$Shape): org.lfedge.eve.config.Image & org.lfedge.eve.config.Image.$Shape;
                    static create(properties?: org.lfedge.eve.config.Image.$Properties): org.lfedge.eve.config.Image;
                    static encode(message: org.lfedge.eve.config.Image.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.config.Image & org.lfedge.eve.config.Image.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.config.Image;
                    static toObject(message: org.lfedge.eve.config.Image, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace Image {
                    interface $Properties {
                        uuidandversion?: (org.lfedge.eve.config.UUIDandVersion.$Properties|null);
                        name?: (string|null);
                        sha256?: (string|null);
                        iformat?: (org.lfedge.eve.config.Format|null);
                        siginfo?: (org.lfedge.eve.config.SignatureInfo.$Properties|null);
                        dsId?: (string|null);
                        sizeBytes?: (number|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.config.Image.$Properties;
                }

                enum Format {
                    FmtUnknown = 0,
                    RAW = 1,
                    QCOW = 2,
                    QCOW2 = 3,
                    VHD = 4,
                    VMDK = 5,
                    OVA = 6,
                    VHDX = 7,
                    CONTAINER = 8,
                    ISO = 9,
                    PVC = 10
                }

                interface ISignatureInfo extends org.lfedge.eve.config.SignatureInfo.$Properties {
                }

                class SignatureInfo {
                    constructor(properties?: org.lfedge.eve.config.SignatureInfo.$Properties);
                    $unknowns?: Uint8Array[];
                    intercertsurl: string;
                    signercerturl: string;
                    signature: Uint8Array;
                    static create(properties: org.lfedge.eve.config.SignatureInfo.$Shape): org.lfedge.eve.config.SignatureInfo & org.lfedge.eve.config.SignatureInfo.$Shape;
                    static create(properties?: org.lfedge.eve.config.SignatureInfo.$Properties): org.lfedge.eve.config.SignatureInfo;
                    static encode(message: org.lfedge.eve.config.SignatureInfo.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.config.SignatureInfo & org.lfedge.eve.config.SignatureInfo.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.config.SignatureInfo;
                    static toObject(message: org.lfedge.eve.config.SignatureInfo, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace SignatureInfo {
                    interface $Properties {
                        intercertsurl?: (string|null);
                        signercerturl?: (string|null);
                        signature?: (Uint8Array|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.config.SignatureInfo.$Properties;
                }

                enum DriveType {
                    Unclassified = 0,
                    CDROM = 1,
                    HDD = 2,
                    NET = 3,
                    HDD_EMPTY = 4
                }

                enum Target {
                    TgtUnknown = 0,
                    Disk = 1,
                    Kernel = 2,
                    Initrd = 3,
                    RamDisk = 4,
                    AppCustom = 5
                }

                interface INetworkAdapter extends org.lfedge.eve.config.NetworkAdapter.$Properties {
                }

                class NetworkAdapter {
                    constructor(properties?: org.lfedge.eve.config.NetworkAdapter.$Properties);
                    $unknowns?: Uint8Array[];
                    name: string;
                    networkId: string;
                    addr: string;
                    hostname: string;
                    cryptoEid: string;
                    lispsignature: string;
                    pemcert: Uint8Array;
                    pemprivatekey: Uint8Array;
                    macAddress: string;
                    acls: org.lfedge.eve.config.ACE.$Properties[];
                    access_vlan_id: number;
                    allow_to_discover: boolean;
                    interface_order: number;
                    static create(properties: org.lfedge.eve.config.NetworkAdapter.$Shape): org.lfedge.eve.config.NetworkAdapter & org.lfedge.eve.config.NetworkAdapter.$Shape;
                    static create(properties?: org.lfedge.eve.config.NetworkAdapter.$Properties): org.lfedge.eve.config.NetworkAdapter;
                    static encode(message: org.lfedge.eve.config.NetworkAdapter.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.config.NetworkAdapter & org.lfedge.eve.config.NetworkAdapter.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.config.NetworkAdapter;
                    static toObject(message: org.lfedge.eve.config.NetworkAdapter, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace NetworkAdapter {
                    interface $Properties {
                        name?: (string|null);
                        networkId?: (string|null);
                        addr?: (string|null);
                        hostname?: (string|null);
                        cryptoEid?: (string|null);
                        lispsignature?: (string|null);
                        pemcert?: (Uint8Array|null);
                        pemprivatekey?: (Uint8Array|null);
                        macAddress?: (string|null);
                        acls?: (org.lfedge.eve.config.ACE.$Properties[]|null);
                        access_vlan_id?: (number|null);
                        allow_to_discover?: (boolean|null);
                        interface_order?: (number|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.config.NetworkAdapter.$Properties;
                }

                interface IACE extends org.lfedge.eve.config.ACE.$Properties {
                }

                class ACE {
                    constructor(properties?: org.lfedge.eve.config.ACE.$Properties);
                    $unknowns?: Uint8Array[];
                    matches: org.lfedge.eve.config.ACEMatch.$Properties[];
                    actions: org.lfedge.eve.config.ACEAction.$Properties[];
                    name: string;
                    id: number;
                    dir: org.lfedge.eve.config.ACEDirection;
                    static create(properties: org.lfedge.eve.config.ACE.$Shape): org.lfedge.eve.config.ACE & org.lfedge.eve.config.ACE.$Shape;
                    static create(properties?: org.lfedge.eve.config.ACE.$Properties): org.lfedge.eve.config.ACE;
                    static encode(message: org.lfedge.eve.config.ACE.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.config.ACE & org.lfedge.eve.config.ACE.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.config.ACE;
                    static toObject(message: org.lfedge.eve.config.ACE, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ACE {
                    interface $Properties {
                        matches?: (org.lfedge.eve.config.ACEMatch.$Properties[]|null);
                        actions?: (org.lfedge.eve.config.ACEAction.$Properties[]|null);
                        name?: (string|null);
                        id?: (number|null);
                        dir?: (org.lfedge.eve.config.ACEDirection|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.config.ACE.$Properties;
                }

                interface IACEMatch extends org.lfedge.eve.config.ACEMatch.$Properties {
                }

                class ACEMatch {
                    constructor(properties?: org.lfedge.eve.config.ACEMatch.$Properties);
                    $unknowns?: Uint8Array[];
                    type: string;
                    value: string;
                    static create(properties: org.lfedge.eve.config.ACEMatch.$Shape): org.lfedge.eve.config.ACEMatch & org.lfedge.eve.config.ACEMatch.$Shape;
                    static create(properties?: org.lfedge.eve.config.ACEMatch.$Properties): org.lfedge.eve.config.ACEMatch;
                    static encode(message: org.lfedge.eve.config.ACEMatch.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.config.ACEMatch & org.lfedge.eve.config.ACEMatch.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.config.ACEMatch;
                    static toObject(message: org.lfedge.eve.config.ACEMatch, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ACEMatch {
                    interface $Properties {
                        type?: (string|null);
                        value?: (string|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.config.ACEMatch.$Properties;
                }

                interface IACEAction extends org.lfedge.eve.config.ACEAction.$Properties {
                }

                class ACEAction {
                    constructor(properties?: org.lfedge.eve.config.ACEAction.$Properties);
                    $unknowns?: Uint8Array[];
                    drop: boolean;
                    limit: boolean;
                    limitrate: number;
                    limitunit: string;
                    limitburst: number;
                    portmap: boolean;
                    appPort: number;
                    static create(properties: org.lfedge.eve.config.ACEAction.$Shape): org.lfedge.eve.config.ACEAction & org.lfedge.eve.config.ACEAction.$Shape;
                    static create(properties?: org.lfedge.eve.config.ACEAction.$Properties): org.lfedge.eve.config.ACEAction;
                    static encode(message: org.lfedge.eve.config.ACEAction.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.config.ACEAction & org.lfedge.eve.config.ACEAction.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.config.ACEAction;
                    static toObject(message: org.lfedge.eve.config.ACEAction, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ACEAction {
                    interface $Properties {
                        drop?: (boolean|null);
                        limit?: (boolean|null);
                        limitrate?: (number|null);
                        limitunit?: (string|null);
                        limitburst?: (number|null);
                        portmap?: (boolean|null);
                        appPort?: (number|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.config.ACEAction.$Properties;
                }

                enum ACEDirection {
                    BOTH = 0,
                    INGRESS = 1,
                    EGRESS = 2
                }

                interface IAdapter extends org.lfedge.eve.config.Adapter.$Properties {
                }

                class Adapter {
                    constructor(properties?: org.lfedge.eve.config.Adapter.$Properties);
                    $unknowns?: Uint8Array[];
                    type: org.lfedge.eve.common.PhyIoType;
                    name: string;
                    eth_vf?: (org.lfedge.eve.config.EthVF.$Properties|null);
                    interface_order: number;
                    static create(properties: org.lfedge.eve.config.Adapter.$Shape): org.lfedge.eve.config.Adapter & org.lfedge.eve.config.Adapter.$Shape;
                    static create(properties?: org.lfedge.eve.config.Adapter.$Properties): org.lfedge.eve.config.Adapter;
                    static encode(message: org.lfedge.eve.config.Adapter.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.config.Adapter & org.lfedge.eve.config.Adapter.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.config.Adapter;
                    static toObject(message: org.lfedge.eve.config.Adapter, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace Adapter {
                    interface $Properties {
                        type?: (org.lfedge.eve.common.PhyIoType|null);
                        name?: (string|null);
                        eth_vf?: (org.lfedge.eve.config.EthVF.$Properties|null);
                        interface_order?: (number|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.config.Adapter.$Properties;
                }

                interface IEthVF extends org.lfedge.eve.config.EthVF.$Properties {
                }

                class EthVF {
                    constructor(properties?: org.lfedge.eve.config.EthVF.$Properties);
                    $unknowns?: Uint8Array[];
                    index: number;
                    mac: string;
                    vlan_id: number;
                    static create(properties: org.lfedge.eve.config.EthVF.$Shape): org.lfedge.eve.config.EthVF & org.lfedge.eve.config.EthVF.$Shape;
                    static create(properties?: org.lfedge.eve.config.EthVF.$Properties): org.lfedge.eve.config.EthVF;
                    static encode(message: org.lfedge.eve.config.EthVF.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.config.EthVF & org.lfedge.eve.config.EthVF.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.config.EthVF;
                    static toObject(message: org.lfedge.eve.config.EthVF, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace EthVF {
                    interface $Properties {
                        index?: (number|null);
                        mac?: (string|null);
                        vlan_id?: (number|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.config.EthVF.$Properties;
                }

                interface IInstanceOpsCmd extends org.lfedge.eve.config.InstanceOpsCmd.$Properties {
                }

                class InstanceOpsCmd {
                    constructor(properties?: org.lfedge.eve.config.InstanceOpsCmd.$Properties);
                    $unknowns?: Uint8Array[];
                    counter: number;
                    opsTime: string;
                    static create(properties: org.lfedge.eve.config.InstanceOpsCmd.$Shape): org.lfedge.eve.config.InstanceOpsCmd & org.lfedge.eve.config.InstanceOpsCmd.$Shape;
                    static create(properties?: org.lfedge.eve.config.InstanceOpsCmd.$Properties): org.lfedge.eve.config.InstanceOpsCmd;
                    static encode(message: org.lfedge.eve.config.InstanceOpsCmd.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.config.InstanceOpsCmd & org.lfedge.eve.config.InstanceOpsCmd.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.config.InstanceOpsCmd;
                    static toObject(message: org.lfedge.eve.config.InstanceOpsCmd, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace InstanceOpsCmd {
                    interface $Properties {
                        counter?: (number|null);
                        opsTime?: (string|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.config.InstanceOpsCmd.$Properties;
                }

                interface IVolumeRef extends org.lfedge.eve.config.VolumeRef.$Properties {
                }

                class VolumeRef {
                    constructor(properties?: org.lfedge.eve.config.VolumeRef.$Properties);
                    $unknowns?: Uint8Array[];
                    uuid: string;
                    generationCount: number;
                    mount_dir: string;
                    static create(properties: org.lfedge.eve.config.VolumeRef.$Shape): org.lfedge.eve.config.VolumeRef & org.lfedge.eve.config.VolumeRef.$Shape;
                    static create(properties?: org.lfedge.eve.config.VolumeRef.$Properties): org.lfedge.eve.config.VolumeRef;
                    static encode(message: org.lfedge.eve.config.VolumeRef.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.config.VolumeRef & org.lfedge.eve.config.VolumeRef.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.config.VolumeRef;
                    static toObject(message: org.lfedge.eve.config.VolumeRef, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace VolumeRef {
                    interface $Properties {
                        uuid?: (string|null);
                        generationCount?: (number|null);
                        mount_dir?: (string|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.config.VolumeRef.$Properties;
                }

                enum MetaDataType {
                    MetaDataDrive = 0,
                    MetaDataNone = 1,
                    MetaDataOpenStack = 2,
                    MetaDataDriveMultipart = 3
                }

                enum AppRuntimeType {
                    APP_RUNTIME_TYPE_UNSPECIFIED = 0,
                    APP_RUNTIME_TYPE_DOCKER = 1
                }

                enum AffinityType {
                    AFFINITY_TYPE_PREFERRED = 0,
                    AFFINITY_TYPE_REQUIRED = 1
                }

                interface IDatastoreConfig extends org.lfedge.eve.config.DatastoreConfig.$Properties {
                }

                class DatastoreConfig {
                    constructor(properties?: org.lfedge.eve.config.DatastoreConfig.$Properties);
                    $unknowns?: Uint8Array[];
                    id: string;
                    dType: org.lfedge.eve.config.DsType;
                    fqdn: string;
                    apiKey: string;
                    password: string;
                    dpath: string;
                    region: string;
                    cipherData?: (org.lfedge.eve.common.CipherBlock.$Properties|null);
                    dsCertPEM: Uint8Array[];
                    static create(properties: org.lfedge.eve.config.DatastoreConfig.$Shape): org.lfedge.eve.config.DatastoreConfig & org.lfedge.eve.config.DatastoreConfig.$Shape;
                    static create(properties?: org.lfedge.eve.config.DatastoreConfig.$Properties): org.lfedge.eve.config.DatastoreConfig;
                    static encode(message: org.lfedge.eve.config.DatastoreConfig.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.config.DatastoreConfig & org.lfedge.eve.config.DatastoreConfig.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.config.DatastoreConfig;
                    static toObject(message: org.lfedge.eve.config.DatastoreConfig, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace DatastoreConfig {
                    interface $Properties {
                        id?: (string|null);
                        dType?: (org.lfedge.eve.config.DsType|null);
                        fqdn?: (string|null);
                        apiKey?: (string|null);
                        password?: (string|null);
                        dpath?: (string|null);
                        region?: (string|null);
                        cipherData?: (org.lfedge.eve.common.CipherBlock.$Properties|null);
                        dsCertPEM?: (Uint8Array[]|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.config.DatastoreConfig.$Properties;
                }

                enum DsType {
                    DsUnknown = 0,
                    DsHttp = 1,
                    DsHttps = 2,
                    DsS3 = 3,
                    DsSFTP = 4,
                    DsContainerRegistry = 5,
                    DsAzureBlob = 6,
                    DsGoogleStorage = 7
                }

                interface IContentTree extends org.lfedge.eve.config.ContentTree.$Properties {
                }

                class ContentTree {
                    constructor(properties?: org.lfedge.eve.config.ContentTree.$Properties);
                    $unknowns?: Uint8Array[];
                    uuid: string;
                    dsId: string;
                    URL: string;
                    iformat: org.lfedge.eve.config.Format;
                    sha256: string;
                    maxSizeBytes: number;
                    siginfo?: (org.lfedge.eve.config.SignatureInfo.$Properties|null);
                    displayName: string;
                    generation_count: number;
                    custom_meta_data: string;
                    ds_ids_list: string[];
                    designated_node_id: string;
                    static create(properties: org.lfedge.eve.config.ContentTree.$Shape): org.lfedge.eve.config.ContentTree & org.lfedge.eve.config.ContentTree.$Shape;
                    static create(properties?: org.lfedge.eve.config.ContentTree.$Properties): org.lfedge.eve.config.ContentTree;
                    static encode(message: org.lfedge.eve.config.ContentTree.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.config.ContentTree & org.lfedge.eve.config.ContentTree.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.config.ContentTree;
                    static toObject(message: org.lfedge.eve.config.ContentTree, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ContentTree {
                    interface $Properties {
                        uuid?: (string|null);
                        dsId?: (string|null);
                        URL?: (string|null);
                        iformat?: (org.lfedge.eve.config.Format|null);
                        sha256?: (string|null);
                        maxSizeBytes?: (number|null);
                        siginfo?: (org.lfedge.eve.config.SignatureInfo.$Properties|null);
                        displayName?: (string|null);
                        generation_count?: (number|null);
                        custom_meta_data?: (string|null);
                        ds_ids_list?: (string[]|null);
                        designated_node_id?: (string|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.config.ContentTree.$Properties;
                }

                interface IVolume extends org.lfedge.eve.config.Volume.$Properties {
                }

                class Volume {
                    constructor(properties?: org.lfedge.eve.config.Volume.$Properties);
                    $unknowns?: Uint8Array[];
                    uuid: string;
                    origin?: (org.lfedge.eve.config.VolumeContentOrigin.$Properties|null);
                    protocols: org.lfedge.eve.config.VolumeAccessProtocols[];
                    generationCount: number;
                    maxsizebytes: number;
                    readonly: boolean;
                    displayName: string;
                    clear_text: boolean;
                    target: org.lfedge.eve.config.Target;
                    designated_node_id: string;
                    static create(properties: org.lfedge.eve.config.Volume.$Shape): org.lfedge.eve.config.Volume & org.lfedge.eve.config.Volume.$Shape;
                    static create(properties?: org.lfedge.eve.config.Volume.$Properties): org.lfedge.eve.config.Volume;
                    static encode(message: org.lfedge.eve.config.Volume.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.config.Volume & org.lfedge.eve.config.Volume.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.config.Volume;
                    static toObject(message: org.lfedge.eve.config.Volume, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace Volume {
                    interface $Properties {
                        uuid?: (string|null);
                        origin?: (org.lfedge.eve.config.VolumeContentOrigin.$Properties|null);
                        protocols?: (org.lfedge.eve.config.VolumeAccessProtocols[]|null);
                        generationCount?: (number|null);
                        maxsizebytes?: (number|null);
                        readonly?: (boolean|null);
                        displayName?: (string|null);
                        clear_text?: (boolean|null);
                        target?: (org.lfedge.eve.config.Target|null);
                        designated_node_id?: (string|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.config.Volume.$Properties;
                }

                interface IVolumeContentOrigin extends org.lfedge.eve.config.VolumeContentOrigin.$Properties {
                }

                class VolumeContentOrigin {
                    constructor(properties?: org.lfedge.eve.config.VolumeContentOrigin.$Properties);
                    $unknowns?: Uint8Array[];
                    type: org.lfedge.eve.config.VolumeContentOriginType;
                    downloadContentTreeID: string;
                    static create(properties: org.lfedge.eve.config.VolumeContentOrigin.$Shape): org.lfedge.eve.config.VolumeContentOrigin & org.lfedge.eve.config.VolumeContentOrigin.$Shape;
                    static create(properties?: org.lfedge.eve.config.VolumeContentOrigin.$Properties): org.lfedge.eve.config.VolumeContentOrigin;
                    static encode(message: org.lfedge.eve.config.VolumeContentOrigin.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.config.VolumeContentOrigin & org.lfedge.eve.config.VolumeContentOrigin.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.config.VolumeContentOrigin;
                    static toObject(message: org.lfedge.eve.config.VolumeContentOrigin, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace VolumeContentOrigin {
                    interface $Properties {
                        type?: (org.lfedge.eve.config.VolumeContentOriginType|null);
                        downloadContentTreeID?: (string|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.config.VolumeContentOrigin.$Properties;
                }

                enum VolumeContentOriginType {
                    VCOT_UNKNOWN = 0,
                    VCOT_BLANK = 1,
                    VCOT_DOWNLOAD = 2
                }

                enum VolumeAccessProtocols {
                    VAP_NONE = 0,
                    VAP_9P = 1
                }

                interface IDeviceOpsCmd extends org.lfedge.eve.config.DeviceOpsCmd.$Properties {
                }

                class DeviceOpsCmd {
                    constructor(properties?: org.lfedge.eve.config.DeviceOpsCmd.$Properties);
                    $unknowns?: Uint8Array[];
                    counter: number;
                    desiredState: boolean;
                    opsTime: string;
                    static create(properties: org.lfedge.eve.config.DeviceOpsCmd.$Shape): org.lfedge.eve.config.DeviceOpsCmd & org.lfedge.eve.config.DeviceOpsCmd.$Shape;
                    static create(properties?: org.lfedge.eve.config.DeviceOpsCmd.$Properties): org.lfedge.eve.config.DeviceOpsCmd;
                    static encode(message: org.lfedge.eve.config.DeviceOpsCmd.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.config.DeviceOpsCmd & org.lfedge.eve.config.DeviceOpsCmd.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.config.DeviceOpsCmd;
                    static toObject(message: org.lfedge.eve.config.DeviceOpsCmd, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace DeviceOpsCmd {
                    interface $Properties {
                        counter?: (number|null);
                        desiredState?: (boolean|null);
                        opsTime?: (string|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.config.DeviceOpsCmd.$Properties;
                }

                interface IConfigItem extends org.lfedge.eve.config.ConfigItem.$Properties {
                }

                class ConfigItem {
                    constructor(properties?: org.lfedge.eve.config.ConfigItem.$Properties);
                    $unknowns?: Uint8Array[];
                    key: string;
                    value: string;
                    static create(properties: org.lfedge.eve.config.ConfigItem.$Shape): org.lfedge.eve.config.ConfigItem & org.lfedge.eve.config.ConfigItem.$Shape;
                    static create(properties?: org.lfedge.eve.config.ConfigItem.$Properties): org.lfedge.eve.config.ConfigItem;
                    static encode(message: org.lfedge.eve.config.ConfigItem.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.config.ConfigItem & org.lfedge.eve.config.ConfigItem.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.config.ConfigItem;
                    static toObject(message: org.lfedge.eve.config.ConfigItem, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ConfigItem {
                    interface $Properties {
                        key?: (string|null);
                        value?: (string|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.config.ConfigItem.$Properties;
                }

                interface IBaseOS extends org.lfedge.eve.config.BaseOS.$Properties {
                }

                class BaseOS {
                    constructor(properties?: org.lfedge.eve.config.BaseOS.$Properties);
                    $unknowns?: Uint8Array[];
                    content_tree_uuid: string;
                    retry_update?: (org.lfedge.eve.config.DeviceOpsCmd.$Properties|null);
                    activate: boolean;
                    base_os_version: string;
                    static create(properties: org.lfedge.eve.config.BaseOS.$Shape): org.lfedge.eve.config.BaseOS & org.lfedge.eve.config.BaseOS.$Shape;
                    static create(properties?: org.lfedge.eve.config.BaseOS.$Properties): org.lfedge.eve.config.BaseOS;
                    static encode(message: org.lfedge.eve.config.BaseOS.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.config.BaseOS & org.lfedge.eve.config.BaseOS.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.config.BaseOS;
                    static toObject(message: org.lfedge.eve.config.BaseOS, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace BaseOS {
                    interface $Properties {
                        content_tree_uuid?: (string|null);
                        retry_update?: (org.lfedge.eve.config.DeviceOpsCmd.$Properties|null);
                        activate?: (boolean|null);
                        base_os_version?: (string|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.config.BaseOS.$Properties;
                }

                interface INetworkConfig extends org.lfedge.eve.config.NetworkConfig.$Properties {
                }

                class NetworkConfig {
                    constructor(properties?: org.lfedge.eve.config.NetworkConfig.$Properties);
                    $unknowns?: Uint8Array[];
                    id: string;
                    type: org.lfedge.eve.common.NetworkType;
                    ip?: (org.lfedge.eve.common.ipspec.$Properties|null);
                    dns: org.lfedge.eve.common.ZnetStaticDNSEntry.$Properties[];
                    entProxy?: (org.lfedge.eve.common.ProxyConfig.$Properties|null);
                    mtu: number;
                    static create(properties: org.lfedge.eve.config.NetworkConfig.$Shape): org.lfedge.eve.config.NetworkConfig & org.lfedge.eve.config.NetworkConfig.$Shape;
                    static create(properties?: org.lfedge.eve.config.NetworkConfig.$Properties): org.lfedge.eve.config.NetworkConfig;
                    static encode(message: org.lfedge.eve.config.NetworkConfig.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.config.NetworkConfig & org.lfedge.eve.config.NetworkConfig.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.config.NetworkConfig;
                    static toObject(message: org.lfedge.eve.config.NetworkConfig, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace NetworkConfig {
                    interface $Properties {
                        id?: (string|null);
                        type?: (org.lfedge.eve.common.NetworkType|null);
                        ip?: (org.lfedge.eve.common.ipspec.$Properties|null);
                        dns?: (org.lfedge.eve.common.ZnetStaticDNSEntry.$Properties[]|null);
                        entProxy?: (org.lfedge.eve.common.ProxyConfig.$Properties|null);
                        mtu?: (number|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.config.NetworkConfig.$Properties;
                }

                interface ISystemAdapter extends org.lfedge.eve.config.SystemAdapter.$Properties {
                }

                class SystemAdapter {
                    constructor(properties?: org.lfedge.eve.config.SystemAdapter.$Properties);
                    $unknowns?: Uint8Array[];
                    name: string;
                    freeUplink: boolean;
                    uplink: boolean;
                    networkUUID: string;
                    addr: string;
                    alias: string;
                    lowerLayerName: string;
                    cost: number;
                    shared_labels: string[];
                    allow_local_modifications: boolean;
                    static create(properties: org.lfedge.eve.config.SystemAdapter.$Shape): org.lfedge.eve.config.SystemAdapter & org.lfedge.eve.config.SystemAdapter.$Shape;
                    static create(properties?: org.lfedge.eve.config.SystemAdapter.$Properties): org.lfedge.eve.config.SystemAdapter;
                    static encode(message: org.lfedge.eve.config.SystemAdapter.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.config.SystemAdapter & org.lfedge.eve.config.SystemAdapter.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.config.SystemAdapter;
                    static toObject(message: org.lfedge.eve.config.SystemAdapter, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace SystemAdapter {
                    interface $Properties {
                        name?: (string|null);
                        freeUplink?: (boolean|null);
                        uplink?: (boolean|null);
                        networkUUID?: (string|null);
                        addr?: (string|null);
                        alias?: (string|null);
                        lowerLayerName?: (string|null);
                        cost?: (number|null);
                        shared_labels?: (string[]|null);
                        allow_local_modifications?: (boolean|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.config.SystemAdapter.$Properties;
                }

                enum ZNetworkInstType {
                    ZNetInstFirst = 0,
                    ZnetInstSwitch = 1,
                    ZnetInstLocal = 2,
                    ZnetInstCloud = 3,
                    ZnetInstMesh = 4,
                    ZnetInstHoneyPot = 5,
                    ZnetInstTransparent = 6,
                    ZNetInstLast = 255
                }

                enum AddressType {
                    First = 0,
                    IPV4 = 1,
                    IPV6 = 2,
                    CryptoIPV4 = 3,
                    CryptoIPV6 = 4,
                    Last = 255
                }

                interface INetworkInstanceConfig extends org.lfedge.eve.config.NetworkInstanceConfig.$Properties {
                }

                class NetworkInstanceConfig {
                    constructor(properties?: org.lfedge.eve.config.NetworkInstanceConfig.$Properties);
                    $unknowns?: Uint8Array[];
                    uuidandversion?: (org.lfedge.eve.config.UUIDandVersion.$Properties|null);
                    displayname: string;
                    instType: org.lfedge.eve.config.ZNetworkInstType;
                    activate: boolean;
                    port?: (org.lfedge.eve.config.Adapter.$Properties|null);
                    ipType: org.lfedge.eve.config.AddressType;
                    ip?: (org.lfedge.eve.common.ipspec.$Properties|null);
                    dns: org.lfedge.eve.common.ZnetStaticDNSEntry.$Properties[];
                    mtu: number;
                    static create(properties: org.lfedge.eve.config.NetworkInstanceConfig.$Shape): org.lfedge.eve.config.NetworkInstanceConfig & org.lfedge.eve.config.NetworkInstanceConfig.$Shape;
                    static create(properties?: org.lfedge.eve.config.NetworkInstanceConfig.$Properties): org.lfedge.eve.config.NetworkInstanceConfig;
                    static encode(message: org.lfedge.eve.config.NetworkInstanceConfig.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.config.NetworkInstanceConfig & org.lfedge.eve.config.NetworkInstanceConfig.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.config.NetworkInstanceConfig;
                    static toObject(message: org.lfedge.eve.config.NetworkInstanceConfig, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace NetworkInstanceConfig {
                    interface $Properties {
                        uuidandversion?: (org.lfedge.eve.config.UUIDandVersion.$Properties|null);
                        displayname?: (string|null);
                        instType?: (org.lfedge.eve.config.ZNetworkInstType|null);
                        activate?: (boolean|null);
                        port?: (org.lfedge.eve.config.Adapter.$Properties|null);
                        ipType?: (org.lfedge.eve.config.AddressType|null);
                        ip?: (org.lfedge.eve.common.ipspec.$Properties|null);
                        dns?: (org.lfedge.eve.common.ZnetStaticDNSEntry.$Properties[]|null);
                        mtu?: (number|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.config.NetworkInstanceConfig.$Properties;
                }
            }

            namespace info {

                interface IZInfoMsg extends org.lfedge.eve.info.ZInfoMsg.$Properties {
                }

                class ZInfoMsg {
                    constructor(properties?: org.lfedge.eve.info.ZInfoMsg.$Properties);
                    $unknowns?: Uint8Array[];
                    ztype: org.lfedge.eve.info.ZInfoTypes;
                    devId: string;
                    atTimeStamp?: (google.protobuf.Timestamp.$Properties|null);
                    dinfo?: (org.lfedge.eve.info.ZInfoDevice.$Properties|null);
                    ainfo?: (org.lfedge.eve.info.ZInfoApp.$Properties|null);
                    niinfo?: (org.lfedge.eve.info.ZInfoNetworkInstance.$Properties|null);
                    vinfo?: (org.lfedge.eve.info.ZInfoVolume.$Properties|null);
                    cinfo?: (org.lfedge.eve.info.ZInfoContentTree.$Properties|null);
                    locinfo?: (org.lfedge.eve.info.ZInfoLocation.$Properties|null);
                    ntp_sources?: (org.lfedge.eve.info.ZInfoNTPSources.$Properties|null);
                    InfoContent?: ("dinfo"|"ainfo"|"niinfo"|"vinfo"|"cinfo"|"locinfo"|"ntp_sources");
                    static create(properties: org.lfedge.eve.info.ZInfoMsg.$Shape): org.lfedge.eve.info.ZInfoMsg & org.lfedge.eve.info.ZInfoMsg.$Shape;
                    static create(properties?: org.lfedge.eve.info.ZInfoMsg.$Properties): org.lfedge.eve.info.ZInfoMsg;
                    static encode(message: org.lfedge.eve.info.ZInfoMsg.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.info.ZInfoMsg & org.lfedge.eve.info.ZInfoMsg.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.info.ZInfoMsg;
                    static toObject(message: org.lfedge.eve.info.ZInfoMsg, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ZInfoMsg {
                    interface $Properties {
                        ztype?: (org.lfedge.eve.info.ZInfoTypes|null);
                        devId?: (string|null);
                        atTimeStamp?: (google.protobuf.Timestamp.$Properties|null);
                        dinfo?: (org.lfedge.eve.info.ZInfoDevice.$Properties|null);
                        ainfo?: (org.lfedge.eve.info.ZInfoApp.$Properties|null);
                        niinfo?: (org.lfedge.eve.info.ZInfoNetworkInstance.$Properties|null);
                        vinfo?: (org.lfedge.eve.info.ZInfoVolume.$Properties|null);
                        cinfo?: (org.lfedge.eve.info.ZInfoContentTree.$Properties|null);
                        locinfo?: (org.lfedge.eve.info.ZInfoLocation.$Properties|null);
                        ntp_sources?: (org.lfedge.eve.info.ZInfoNTPSources.$Properties|null);
                        InfoContent?: ("dinfo"|"ainfo"|"niinfo"|"vinfo"|"cinfo"|"locinfo"|"ntp_sources");
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = {
                      ztype?: org.lfedge.eve.info.ZInfoTypes|null;
                      devId?: string|null;
                      atTimeStamp?: google.protobuf.Timestamp.$Shape|null;
                      dinfo?: org.lfedge.eve.info.ZInfoDevice.$Shape|null;
                      ainfo?: org.lfedge.eve.info.ZInfoApp.$Shape|null;
                      niinfo?: org.lfedge.eve.info.ZInfoNetworkInstance.$Shape|null;
                      vinfo?: org.lfedge.eve.info.ZInfoVolume.$Shape|null;
                      cinfo?: org.lfedge.eve.info.ZInfoContentTree.$Shape|null;
                      locinfo?: org.lfedge.eve.info.ZInfoLocation.$Shape|null;
                      ntp_sources?: org.lfedge.eve.info.ZInfoNTPSources.$Shape|null;
                      $unknowns?: Uint8Array[];
                    } & (
                      ({ InfoContent?: undefined; dinfo?: null; ainfo?: null; niinfo?: null; vinfo?: null; cinfo?: null; locinfo?: null; ntp_sources?: null }|{ InfoContent?: "dinfo"; dinfo: org.lfedge.eve.info.ZInfoDevice.$Shape; ainfo?: null; niinfo?: null; vinfo?: null; cinfo?: null; locinfo?: null; ntp_sources?: null }|{ InfoContent?: "ainfo"; dinfo?: null; ainfo: org.lfedge.eve.info.ZInfoApp.$Shape; niinfo?: null; vinfo?: null; cinfo?: null; locinfo?: null; ntp_sources?: null }|{ InfoContent?: "niinfo"; dinfo?: null; ainfo?: null; niinfo: org.lfedge.eve.info.ZInfoNetworkInstance.$Shape; vinfo?: null; cinfo?: null; locinfo?: null; ntp_sources?: null }|{ InfoContent?: "vinfo"; dinfo?: null; ainfo?: null; niinfo?: null; vinfo: org.lfedge.eve.info.ZInfoVolume.$Shape; cinfo?: null; locinfo?: null; ntp_sources?: null }|{ InfoContent?: "cinfo"; dinfo?: null; ainfo?: null; niinfo?: null; vinfo?: null; cinfo: org.lfedge.eve.info.ZInfoContentTree.$Shape; locinfo?: null; ntp_sources?: null }|{ InfoContent?: "locinfo"; dinfo?: null; ainfo?: null; niinfo?: null; vinfo?: null; cinfo?: null; locinfo: org.lfedge.eve.info.ZInfoLocation.$Shape; ntp_sources?: null }|{ InfoContent?: "ntp_sources"; dinfo?: null; ainfo?: null; niinfo?: null; vinfo?: null; cinfo?: null; locinfo?: null; ntp_sources: org.lfedge.eve.info.ZInfoNTPSources.$Shape })
                    );
                }

                enum ZInfoTypes {
                    ZiNop = 0,
                    ZiDevice = 1,
                    ZiApp = 3,
                    ZiNetworkInstance = 6,
                    ZiVolume = 7,
                    ZiContentTree = 8,
                    ZiBlobList = 9,
                    ZiAppInstMetaData = 10,
                    ZiHardware = 11,
                    ZiEdgeview = 12,
                    ZiLocation = 13,
                    ZiPatchEnvelope = 14,
                    ZiNTPSources = 16,
                    ZiKubeCluster = 17,
                    ZiKubeClusterUpdateStatus = 18
                }

                interface IZInfoDevice extends org.lfedge.eve.info.ZInfoDevice.$Properties {
                }

                class ZInfoDevice {
                    constructor(properties?: org.lfedge.eve.info.ZInfoDevice.$Properties);
                    $unknowns?: Uint8Array[];
                    machineArch: string;
                    cpuArch: string;
                    platform: string;
                    ncpu: number;
                    memory: number;
                    storage: number;
                    powerCycleCounter: number;
                    minfo?: (org.lfedge.eve.info.ZInfoManufacturer.$Properties|null);
                    network: org.lfedge.eve.info.ZInfoNetwork.$Properties[];
                    dns?: (org.lfedge.eve.info.ZInfoDNS.$Properties|null);
                    storageList: org.lfedge.eve.info.ZInfoStorage.$Properties[];
                    bootTime?: (google.protobuf.Timestamp.$Properties|null);
                    swList: org.lfedge.eve.info.ZInfoDevSW.$Properties[];
                    HostName: string;
                    lastRebootReason: string;
                    lastRebootTime?: (google.protobuf.Timestamp.$Properties|null);
                    systemAdapter?: (org.lfedge.eve.info.SystemAdapterInfo.$Properties|null);
                    restartCounter: number;
                    HSMInfo: string;
                    lastRebootStack: string;
                    configItemStatus?: (org.lfedge.eve.info.ZInfoConfigItemStatus.$Properties|null);
                    rebootConfigCounter: number;
                    last_boot_reason: org.lfedge.eve.info.BootReason;
                    maintenance_mode: boolean;
                    hardware_watchdog_present: boolean;
                    reboot_inprogress: boolean;
                    baseos_update_counter: number;
                    state: org.lfedge.eve.info.ZDeviceState;
                    local_profile: string;
                    dormant_time: string;
                    shutdown_config_counter: number;
                    remote_access_disabled: boolean;
                    device_name: string;
                    enterprise_name: string;
                    enterprise_id: string;
                    project_name: string;
                    project_id: string;
                    static create(properties: org.lfedge.eve.info.ZInfoDevice.$Shape): org.lfedge.eve.info.ZInfoDevice & org.lfedge.eve.info.ZInfoDevice.$Shape;
                    static create(properties?: org.lfedge.eve.info.ZInfoDevice.$Properties): org.lfedge.eve.info.ZInfoDevice;
                    static encode(message: org.lfedge.eve.info.ZInfoDevice.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.info.ZInfoDevice & org.lfedge.eve.info.ZInfoDevice.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.info.ZInfoDevice;
                    static toObject(message: org.lfedge.eve.info.ZInfoDevice, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ZInfoDevice {
                    interface $Properties {
                        machineArch?: (string|null);
                        cpuArch?: (string|null);
                        platform?: (string|null);
                        ncpu?: (number|null);
                        memory?: (number|null);
                        storage?: (number|null);
                        powerCycleCounter?: (number|null);
                        minfo?: (org.lfedge.eve.info.ZInfoManufacturer.$Properties|null);
                        network?: (org.lfedge.eve.info.ZInfoNetwork.$Properties[]|null);
                        dns?: (org.lfedge.eve.info.ZInfoDNS.$Properties|null);
                        storageList?: (org.lfedge.eve.info.ZInfoStorage.$Properties[]|null);
                        bootTime?: (google.protobuf.Timestamp.$Properties|null);
                        swList?: (org.lfedge.eve.info.ZInfoDevSW.$Properties[]|null);
                        HostName?: (string|null);
                        lastRebootReason?: (string|null);
                        lastRebootTime?: (google.protobuf.Timestamp.$Properties|null);
                        systemAdapter?: (org.lfedge.eve.info.SystemAdapterInfo.$Properties|null);
                        restartCounter?: (number|null);
                        HSMInfo?: (string|null);
                        lastRebootStack?: (string|null);
                        configItemStatus?: (org.lfedge.eve.info.ZInfoConfigItemStatus.$Properties|null);
                        rebootConfigCounter?: (number|null);
                        last_boot_reason?: (org.lfedge.eve.info.BootReason|null);
                        maintenance_mode?: (boolean|null);
                        hardware_watchdog_present?: (boolean|null);
                        reboot_inprogress?: (boolean|null);
                        baseos_update_counter?: (number|null);
                        state?: (org.lfedge.eve.info.ZDeviceState|null);
                        local_profile?: (string|null);
                        dormant_time?: (string|null);
                        shutdown_config_counter?: (number|null);
                        remote_access_disabled?: (boolean|null);
                        device_name?: (string|null);
                        enterprise_name?: (string|null);
                        enterprise_id?: (string|null);
                        project_name?: (string|null);
                        project_id?: (string|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.info.ZInfoDevice.$Properties;
                }

                interface IZInfoManufacturer extends org.lfedge.eve.info.ZInfoManufacturer.$Properties {
                }

                class ZInfoManufacturer {
                    constructor(properties?: org.lfedge.eve.info.ZInfoManufacturer.$Properties);
                    $unknowns?: Uint8Array[];
                    manufacturer: string;
                    productName: string;
                    version: string;
                    serialNumber: string;
                    UUID: string;
                    compatible: string;
                    biosVendor: string;
                    biosVersion: string;
                    biosReleaseDate: string;
                    static create(properties: org.lfedge.eve.info.ZInfoManufacturer.$Shape): org.lfedge.eve.info.ZInfoManufacturer & org.lfedge.eve.info.ZInfoManufacturer.$Shape;
                    static create(properties?: org.lfedge.eve.info.ZInfoManufacturer.$Properties): org.lfedge.eve.info.ZInfoManufacturer;
                    static encode(message: org.lfedge.eve.info.ZInfoManufacturer.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.info.ZInfoManufacturer & org.lfedge.eve.info.ZInfoManufacturer.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.info.ZInfoManufacturer;
                    static toObject(message: org.lfedge.eve.info.ZInfoManufacturer, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ZInfoManufacturer {
                    interface $Properties {
                        manufacturer?: (string|null);
                        productName?: (string|null);
                        version?: (string|null);
                        serialNumber?: (string|null);
                        UUID?: (string|null);
                        compatible?: (string|null);
                        biosVendor?: (string|null);
                        biosVersion?: (string|null);
                        biosReleaseDate?: (string|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.info.ZInfoManufacturer.$Properties;
                }

                interface IZInfoNetwork extends org.lfedge.eve.info.ZInfoNetwork.$Properties {
                }

                class ZInfoNetwork {
                    constructor(properties?: org.lfedge.eve.info.ZInfoNetwork.$Properties);
                    $unknowns?: Uint8Array[];
                    macAddr: string;
                    devName: string;
                    alias: string;
                    IPAddrs: string[];
                    defaultRouters: string[];
                    dns?: (org.lfedge.eve.info.ZInfoDNS.$Properties|null);
                    ipv4_up: boolean;
                    uplink: boolean;
                    networkErr?: (org.lfedge.eve.info.ErrorInfo.$Properties|null);
                    localName: string;
                    proxy?: (org.lfedge.eve.info.ProxyStatus.$Properties|null);
                    ip_addr_mis_match: boolean;
                    ntp_servers: string[];
                    location?: (org.lfedge.eve.info.GeoLoc.$Properties|null);
                    static create(properties: org.lfedge.eve.info.ZInfoNetwork.$Shape): org.lfedge.eve.info.ZInfoNetwork & org.lfedge.eve.info.ZInfoNetwork.$Shape;
                    static create(properties?: org.lfedge.eve.info.ZInfoNetwork.$Properties): org.lfedge.eve.info.ZInfoNetwork;
                    static encode(message: org.lfedge.eve.info.ZInfoNetwork.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.info.ZInfoNetwork & org.lfedge.eve.info.ZInfoNetwork.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.info.ZInfoNetwork;
                    static toObject(message: org.lfedge.eve.info.ZInfoNetwork, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ZInfoNetwork {
                    interface $Properties {
                        macAddr?: (string|null);
                        devName?: (string|null);
                        alias?: (string|null);
                        IPAddrs?: (string[]|null);
                        defaultRouters?: (string[]|null);
                        dns?: (org.lfedge.eve.info.ZInfoDNS.$Properties|null);
                        ipv4_up?: (boolean|null);
                        uplink?: (boolean|null);
                        networkErr?: (org.lfedge.eve.info.ErrorInfo.$Properties|null);
                        localName?: (string|null);
                        proxy?: (org.lfedge.eve.info.ProxyStatus.$Properties|null);
                        ip_addr_mis_match?: (boolean|null);
                        ntp_servers?: (string[]|null);
                        location?: (org.lfedge.eve.info.GeoLoc.$Properties|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.info.ZInfoNetwork.$Properties;
                }

                interface IGeoLoc extends org.lfedge.eve.info.GeoLoc.$Properties {
                }

                class GeoLoc {
                    constructor(properties?: org.lfedge.eve.info.GeoLoc.$Properties);
                    $unknowns?: Uint8Array[];
                    UnderlayIP: string;
                    Hostname: string;
                    City: string;
                    Region: string;
                    Country: string;
                    Loc: string;
                    Org: string;
                    Postal: string;
                    static create(properties: org.lfedge.eve.info.GeoLoc.$Shape): org.lfedge.eve.info.GeoLoc & org.lfedge.eve.info.GeoLoc.$Shape;
                    static create(properties?: org.lfedge.eve.info.GeoLoc.$Properties): org.lfedge.eve.info.GeoLoc;
                    static encode(message: org.lfedge.eve.info.GeoLoc.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.info.GeoLoc & org.lfedge.eve.info.GeoLoc.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.info.GeoLoc;
                    static toObject(message: org.lfedge.eve.info.GeoLoc, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace GeoLoc {
                    interface $Properties {
                        UnderlayIP?: (string|null);
                        Hostname?: (string|null);
                        City?: (string|null);
                        Region?: (string|null);
                        Country?: (string|null);
                        Loc?: (string|null);
                        Org?: (string|null);
                        Postal?: (string|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.info.GeoLoc.$Properties;
                }

                interface IZInfoDNS extends org.lfedge.eve.info.ZInfoDNS.$Properties {
                }

                class ZInfoDNS {
                    constructor(properties?: org.lfedge.eve.info.ZInfoDNS.$Properties);
                    $unknowns?: Uint8Array[];
                    DNSservers: string[];
                    DNSdomain: string;
                    DNSsearch: string[];
                    static create(properties: org.lfedge.eve.info.ZInfoDNS.$Shape): org.lfedge.eve.info.ZInfoDNS & org.lfedge.eve.info.ZInfoDNS.$Shape;
                    static create(properties?: org.lfedge.eve.info.ZInfoDNS.$Properties): org.lfedge.eve.info.ZInfoDNS;
                    static encode(message: org.lfedge.eve.info.ZInfoDNS.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.info.ZInfoDNS & org.lfedge.eve.info.ZInfoDNS.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.info.ZInfoDNS;
                    static toObject(message: org.lfedge.eve.info.ZInfoDNS, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ZInfoDNS {
                    interface $Properties {
                        DNSservers?: (string[]|null);
                        DNSdomain?: (string|null);
                        DNSsearch?: (string[]|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.info.ZInfoDNS.$Properties;
                }

                interface IZInfoStorage extends org.lfedge.eve.info.ZInfoStorage.$Properties {
                }

                class ZInfoStorage {
                    constructor(properties?: org.lfedge.eve.info.ZInfoStorage.$Properties);
                    $unknowns?: Uint8Array[];
                    device: string;
                    mountPath: string;
                    total: number;
                    storageLocation: boolean;
                    static create(properties: org.lfedge.eve.info.ZInfoStorage.$Shape): org.lfedge.eve.info.ZInfoStorage & org.lfedge.eve.info.ZInfoStorage.$Shape;
                    static create(properties?: org.lfedge.eve.info.ZInfoStorage.$Properties): org.lfedge.eve.info.ZInfoStorage;
                    static encode(message: org.lfedge.eve.info.ZInfoStorage.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.info.ZInfoStorage & org.lfedge.eve.info.ZInfoStorage.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.info.ZInfoStorage;
                    static toObject(message: org.lfedge.eve.info.ZInfoStorage, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ZInfoStorage {
                    interface $Properties {
                        device?: (string|null);
                        mountPath?: (string|null);
                        total?: (number|null);
                        storageLocation?: (boolean|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.info.ZInfoStorage.$Properties;
                }

                interface IZInfoDevSW extends org.lfedge.eve.info.ZInfoDevSW.$Properties {
                }

                class ZInfoDevSW {
                    constructor(properties?: org.lfedge.eve.info.ZInfoDevSW.$Properties);
                    $unknowns?: Uint8Array[];
                    activated: boolean;
                    partitionLabel: string;
                    partitionDevice: string;
                    partitionState: string;
                    status: org.lfedge.eve.info.ZSwState;
                    shortVersion: string;
                    longVersion: string;
                    swErr?: (org.lfedge.eve.info.ErrorInfo.$Properties|null);
                    downloadProgress: number;
                    userStatus: org.lfedge.eve.info.BaseOsStatus;
                    subStatusStr: string;
                    subStatus: org.lfedge.eve.info.BaseOsSubStatus;
                    subStatusProgress: number;
                    static create(properties: org.lfedge.eve.info.ZInfoDevSW.$Shape): org.lfedge.eve.info.ZInfoDevSW & org.lfedge.eve.info.ZInfoDevSW.$Shape;
                    static create(properties?: org.lfedge.eve.info.ZInfoDevSW.$Properties): org.lfedge.eve.info.ZInfoDevSW;
                    static encode(message: org.lfedge.eve.info.ZInfoDevSW.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.info.ZInfoDevSW & org.lfedge.eve.info.ZInfoDevSW.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.info.ZInfoDevSW;
                    static toObject(message: org.lfedge.eve.info.ZInfoDevSW, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ZInfoDevSW {
                    interface $Properties {
                        activated?: (boolean|null);
                        partitionLabel?: (string|null);
                        partitionDevice?: (string|null);
                        partitionState?: (string|null);
                        status?: (org.lfedge.eve.info.ZSwState|null);
                        shortVersion?: (string|null);
                        longVersion?: (string|null);
                        swErr?: (org.lfedge.eve.info.ErrorInfo.$Properties|null);
                        downloadProgress?: (number|null);
                        userStatus?: (org.lfedge.eve.info.BaseOsStatus|null);
                        subStatusStr?: (string|null);
                        subStatus?: (org.lfedge.eve.info.BaseOsSubStatus|null);
                        subStatusProgress?: (number|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.info.ZInfoDevSW.$Properties;
                }

                enum BaseOsStatus {
                    NONE = 0,
                    DOWNLOADING = 1,
                    DOWNLOAD_DONE = 2,
                    UPDATING = 3,
                    UPDATED = 4,
                    FALLBACK = 5,
                    FAILED = 6
                }

                enum BaseOsSubStatus {
                    NONE_SUBSTATUS = 0,
                    DOWNLOAD_INPROGRESS = 1,
                    VERIFY_INPROGRESS = 2,
                    UPDATE_INITIALIZING = 3,
                    UPDATE_REBOOTING = 4,
                    UPDATE_TESTING = 5,
                    UPDATE_NEED_TEST_CONFIRM = 6,
                    UPDATE_DEFERRED = 7
                }

                enum ZSwState {
                    INVALID = 0,
                    INITIAL = 1,
                    DOWNLOAD_STARTED = 2,
                    DOWNLOADED = 3,
                    DELIVERED = 4,
                    INSTALLED = 5,
                    BOOTING = 6,
                    RUNNING = 7,
                    HALTING = 8,
                    HALTED = 9,
                    RESTARTING = 10,
                    PURGING = 11,
                    RESOLVING_TAG = 12,
                    RESOLVED_TAG = 13,
                    CREATING_VOLUME = 14,
                    CREATED_VOLUME = 15,
                    VERIFYING = 16,
                    VERIFIED = 17,
                    LOADING = 18,
                    LOADED = 19,
                    AWAITNETWORKINSTANCE = 20,
                    ERROR = 21,
                    START_DELAYED = 22,
                    PENDING = 23,
                    SCHEDULING = 24
                }

                interface IZInfoApp extends org.lfedge.eve.info.ZInfoApp.$Properties {
                }

                class ZInfoApp {
                    constructor(properties?: org.lfedge.eve.info.ZInfoApp.$Properties);
                    $unknowns?: Uint8Array[];
                    AppID: string;
                    appVersion: string;
                    systemApp: boolean;
                    AppName: string;
                    softwareList: org.lfedge.eve.info.ZInfoSW.$Properties[];
                    bootTime?: (google.protobuf.Timestamp.$Properties|null);
                    appErr: org.lfedge.eve.info.ErrorInfo.$Properties[];
                    state: org.lfedge.eve.info.ZSwState;
                    network: org.lfedge.eve.info.ZInfoNetwork.$Properties[];
                    volumeRefs: string[];
                    cluster_app_running: boolean;
                    static create(properties: org.lfedge.eve.info.ZInfoApp.$Shape): org.lfedge.eve.info.ZInfoApp & org.lfedge.eve.info.ZInfoApp.$Shape;
                    static create(properties?: org.lfedge.eve.info.ZInfoApp.$Properties): org.lfedge.eve.info.ZInfoApp;
                    static encode(message: org.lfedge.eve.info.ZInfoApp.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.info.ZInfoApp & org.lfedge.eve.info.ZInfoApp.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.info.ZInfoApp;
                    static toObject(message: org.lfedge.eve.info.ZInfoApp, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ZInfoApp {
                    interface $Properties {
                        AppID?: (string|null);
                        appVersion?: (string|null);
                        systemApp?: (boolean|null);
                        AppName?: (string|null);
                        softwareList?: (org.lfedge.eve.info.ZInfoSW.$Properties[]|null);
                        bootTime?: (google.protobuf.Timestamp.$Properties|null);
                        appErr?: (org.lfedge.eve.info.ErrorInfo.$Properties[]|null);
                        state?: (org.lfedge.eve.info.ZSwState|null);
                        network?: (org.lfedge.eve.info.ZInfoNetwork.$Properties[]|null);
                        volumeRefs?: (string[]|null);
                        cluster_app_running?: (boolean|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.info.ZInfoApp.$Properties;
                }

                interface IZInfoSW extends org.lfedge.eve.info.ZInfoSW.$Properties {
                }

                class ZInfoSW {
                    constructor(properties?: org.lfedge.eve.info.ZInfoSW.$Properties);
                    $unknowns?: Uint8Array[];
                    swVersion: string;
                    swHash: string;
                    state: org.lfedge.eve.info.ZSwState;
                    target: string;
                    vdev: string;
                    downloadProgress: number;
                    imageName: string;
                    static create(properties: org.lfedge.eve.info.ZInfoSW.$Shape): org.lfedge.eve.info.ZInfoSW & org.lfedge.eve.info.ZInfoSW.$Shape;
                    static create(properties?: org.lfedge.eve.info.ZInfoSW.$Properties): org.lfedge.eve.info.ZInfoSW;
                    static encode(message: org.lfedge.eve.info.ZInfoSW.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.info.ZInfoSW & org.lfedge.eve.info.ZInfoSW.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.info.ZInfoSW;
                    static toObject(message: org.lfedge.eve.info.ZInfoSW, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ZInfoSW {
                    interface $Properties {
                        swVersion?: (string|null);
                        swHash?: (string|null);
                        state?: (org.lfedge.eve.info.ZSwState|null);
                        target?: (string|null);
                        vdev?: (string|null);
                        downloadProgress?: (number|null);
                        imageName?: (string|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.info.ZInfoSW.$Properties;
                }

                interface IErrorInfo extends org.lfedge.eve.info.ErrorInfo.$Properties {
                }

                class ErrorInfo {
                    constructor(properties?: org.lfedge.eve.info.ErrorInfo.$Properties);
                    $unknowns?: Uint8Array[];
                    description: string;
                    timestamp?: (google.protobuf.Timestamp.$Properties|null);
                    severity: org.lfedge.eve.info.Severity;
                    entities: org.lfedge.eve.info.DeviceEntity.$Properties[];
                    retry_condition: string;
                    static create(properties: org.lfedge.eve.info.ErrorInfo.$Shape): org.lfedge.eve.info.ErrorInfo & org.lfedge.eve.info.ErrorInfo.$Shape;
                    static create(properties?: org.lfedge.eve.info.ErrorInfo.$Properties): org.lfedge.eve.info.ErrorInfo;
                    static encode(message: org.lfedge.eve.info.ErrorInfo.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.info.ErrorInfo & org.lfedge.eve.info.ErrorInfo.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.info.ErrorInfo;
                    static toObject(message: org.lfedge.eve.info.ErrorInfo, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ErrorInfo {
                    interface $Properties {
                        description?: (string|null);
                        timestamp?: (google.protobuf.Timestamp.$Properties|null);
                        severity?: (org.lfedge.eve.info.Severity|null);
                        entities?: (org.lfedge.eve.info.DeviceEntity.$Properties[]|null);
                        retry_condition?: (string|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.info.ErrorInfo.$Properties;
                }

                enum Severity {
                    SEVERITY_UNSPECIFIED = 0,
                    SEVERITY_NOTICE = 1,
                    SEVERITY_WARNING = 2,
                    SEVERITY_ERROR = 3
                }

                interface IDeviceEntity extends org.lfedge.eve.info.DeviceEntity.$Properties {
                }

                class DeviceEntity {
                    constructor(properties?: org.lfedge.eve.info.DeviceEntity.$Properties);
                    $unknowns?: Uint8Array[];
                    entity: org.lfedge.eve.info.Entity;
                    entity_id: string;
                    entity_name: string;
                    static create(properties: org.lfedge.eve.info.DeviceEntity.$Shape): org.lfedge.eve.info.DeviceEntity & org.lfedge.eve.info.DeviceEntity.$Shape;
                    static create(properties?: org.lfedge.eve.info.DeviceEntity.$Properties): org.lfedge.eve.info.DeviceEntity;
                    static encode(message: org.lfedge.eve.info.DeviceEntity.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.info.DeviceEntity & org.lfedge.eve.info.DeviceEntity.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.info.DeviceEntity;
                    static toObject(message: org.lfedge.eve.info.DeviceEntity, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace DeviceEntity {
                    interface $Properties {
                        entity?: (org.lfedge.eve.info.Entity|null);
                        entity_id?: (string|null);
                        entity_name?: (string|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.info.DeviceEntity.$Properties;
                }

                enum Entity {
                    ENTITY_UNSPECIFIED = 0,
                    ENTITY_BASE_OS = 1,
                    ENTITY_SYSTEM_ADAPTER = 2,
                    ENTITY_VAULT = 3,
                    ENTITY_ATTESTATION = 4,
                    ENTITY_APP_INSTANCE = 5,
                    ENTITY_PORT = 6,
                    ENTITY_NETWORK = 7,
                    ENTITY_NETWORK_INSTANCE = 8,
                    ENTITY_CONTENT_TREE = 9,
                    ENTITY_CONTENT_BLOB = 10,
                    ENTITY_VOLUME = 11
                }

                interface IZInfoVolume extends org.lfedge.eve.info.ZInfoVolume.$Properties {
                }

                class ZInfoVolume {
                    constructor(properties?: org.lfedge.eve.info.ZInfoVolume.$Properties);
                    $unknowns?: Uint8Array[];
                    uuid: string;
                    displayName: string;
                    usage?: (org.lfedge.eve.info.UsageInfo.$Properties|null);
                    resources?: (org.lfedge.eve.info.VolumeResources.$Properties|null);
                    state: org.lfedge.eve.info.ZSwState;
                    progressPercentage: number;
                    volumeErr?: (org.lfedge.eve.info.ErrorInfo.$Properties|null);
                    generation_count: number;
                    static create(properties: org.lfedge.eve.info.ZInfoVolume.$Shape): org.lfedge.eve.info.ZInfoVolume & org.lfedge.eve.info.ZInfoVolume.$Shape;
                    static create(properties?: org.lfedge.eve.info.ZInfoVolume.$Properties): org.lfedge.eve.info.ZInfoVolume;
                    static encode(message: org.lfedge.eve.info.ZInfoVolume.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.info.ZInfoVolume & org.lfedge.eve.info.ZInfoVolume.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.info.ZInfoVolume;
                    static toObject(message: org.lfedge.eve.info.ZInfoVolume, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ZInfoVolume {
                    interface $Properties {
                        uuid?: (string|null);
                        displayName?: (string|null);
                        usage?: (org.lfedge.eve.info.UsageInfo.$Properties|null);
                        resources?: (org.lfedge.eve.info.VolumeResources.$Properties|null);
                        state?: (org.lfedge.eve.info.ZSwState|null);
                        progressPercentage?: (number|null);
                        volumeErr?: (org.lfedge.eve.info.ErrorInfo.$Properties|null);
                        generation_count?: (number|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.info.ZInfoVolume.$Properties;
                }

                interface IUsageInfo extends org.lfedge.eve.info.UsageInfo.$Properties {
                }

                class UsageInfo {
                    constructor(properties?: org.lfedge.eve.info.UsageInfo.$Properties);
                    $unknowns?: Uint8Array[];
                    createTime?: (google.protobuf.Timestamp.$Properties|null);
                    refCount: number;
                    lastRefcountChangeTime?: (google.protobuf.Timestamp.$Properties|null);
                    static create(properties: org.lfedge.eve.info.UsageInfo.$Shape): org.lfedge.eve.info.UsageInfo & org.lfedge.eve.info.UsageInfo.$Shape;
                    static create(properties?: org.lfedge.eve.info.UsageInfo.$Properties): org.lfedge.eve.info.UsageInfo;
                    static encode(message: org.lfedge.eve.info.UsageInfo.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.info.UsageInfo & org.lfedge.eve.info.UsageInfo.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.info.UsageInfo;
                    static toObject(message: org.lfedge.eve.info.UsageInfo, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace UsageInfo {
                    interface $Properties {
                        createTime?: (google.protobuf.Timestamp.$Properties|null);
                        refCount?: (number|null);
                        lastRefcountChangeTime?: (google.protobuf.Timestamp.$Properties|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.info.UsageInfo.$Properties;
                }

                interface IVolumeResources extends org.lfedge.eve.info.VolumeResources.$Properties {
                }

                class VolumeResources {
                    constructor(properties?: org.lfedge.eve.info.VolumeResources.$Properties);
                    $unknowns?: Uint8Array[];
                    maxSizeBytes: number;
                    curSizeBytes: number;
                    static create(properties: org.lfedge.eve.info.VolumeResources.$Shape): org.lfedge.eve.info.VolumeResources & org.lfedge.eve.info.VolumeResources.$Shape;
                    static create(properties?: org.lfedge.eve.info.VolumeResources.$Properties): org.lfedge.eve.info.VolumeResources;
                    static encode(message: org.lfedge.eve.info.VolumeResources.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.info.VolumeResources & org.lfedge.eve.info.VolumeResources.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.info.VolumeResources;
                    static toObject(message: org.lfedge.eve.info.VolumeResources, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace VolumeResources {
                    interface $Properties {
                        maxSizeBytes?: (number|null);
                        curSizeBytes?: (number|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.info.VolumeResources.$Properties;
                }

                interface IZInfoContentTree extends org.lfedge.eve.info.ZInfoContentTree.$Properties {
                }

                class ZInfoContentTree {
                    constructor(properties?: org.lfedge.eve.info.ZInfoContentTree.$Properties);
                    $unknowns?: Uint8Array[];
                    uuid: string;
                    displayName: string;
                    sha256: string;
                    resources?: (org.lfedge.eve.info.ContentResources.$Properties|null);
                    usage?: (org.lfedge.eve.info.UsageInfo.$Properties|null);
                    state: org.lfedge.eve.info.ZSwState;
                    progressPercentage: number;
                    err?: (org.lfedge.eve.info.ErrorInfo.$Properties|null);
                    componentShaList: string[];
                    generation_count: number;
                    static create(properties: org.lfedge.eve.info.ZInfoContentTree.$Shape): org.lfedge.eve.info.ZInfoContentTree & org.lfedge.eve.info.ZInfoContentTree.$Shape;
                    static create(properties?: org.lfedge.eve.info.ZInfoContentTree.$Properties): org.lfedge.eve.info.ZInfoContentTree;
                    static encode(message: org.lfedge.eve.info.ZInfoContentTree.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.info.ZInfoContentTree & org.lfedge.eve.info.ZInfoContentTree.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.info.ZInfoContentTree;
                    static toObject(message: org.lfedge.eve.info.ZInfoContentTree, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ZInfoContentTree {
                    interface $Properties {
                        uuid?: (string|null);
                        displayName?: (string|null);
                        sha256?: (string|null);
                        resources?: (org.lfedge.eve.info.ContentResources.$Properties|null);
                        usage?: (org.lfedge.eve.info.UsageInfo.$Properties|null);
                        state?: (org.lfedge.eve.info.ZSwState|null);
                        progressPercentage?: (number|null);
                        err?: (org.lfedge.eve.info.ErrorInfo.$Properties|null);
                        componentShaList?: (string[]|null);
                        generation_count?: (number|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.info.ZInfoContentTree.$Properties;
                }

                interface IContentResources extends org.lfedge.eve.info.ContentResources.$Properties {
                }

                class ContentResources {
                    constructor(properties?: org.lfedge.eve.info.ContentResources.$Properties);
                    $unknowns?: Uint8Array[];
                    curSizeBytes: number;
                    static create(properties: org.lfedge.eve.info.ContentResources.$Shape): org.lfedge.eve.info.ContentResources & org.lfedge.eve.info.ContentResources.$Shape;
                    static create(properties?: org.lfedge.eve.info.ContentResources.$Properties): org.lfedge.eve.info.ContentResources;
                    static encode(message: org.lfedge.eve.info.ContentResources.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.info.ContentResources & org.lfedge.eve.info.ContentResources.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.info.ContentResources;
                    static toObject(message: org.lfedge.eve.info.ContentResources, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ContentResources {
                    interface $Properties {
                        curSizeBytes?: (number|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.info.ContentResources.$Properties;
                }

                enum ZDeviceState {
                    ZDEVICE_STATE_UNSPECIFIED = 0,
                    ZDEVICE_STATE_ONLINE = 1,
                    ZDEVICE_STATE_REBOOTING = 2,
                    ZDEVICE_STATE_MAINTENANCE_MODE = 3,
                    ZDEVICE_STATE_BASEOS_UPDATING = 4,
                    ZDEVICE_STATE_BOOTING = 5,
                    ZDEVICE_STATE_PREPARING_POWEROFF = 6,
                    ZDEVICE_STATE_POWERING_OFF = 7,
                    ZDEVICE_STATE_PREPARED_POWEROFF = 8
                }

                enum BootReason {
                    BOOT_REASON_UNSPECIFIED = 0,
                    BOOT_REASON_FIRST = 1,
                    BOOT_REASON_REBOOT_CMD = 2,
                    BOOT_REASON_UPDATE = 3,
                    BOOT_REASON_FALLBACK = 4,
                    BOOT_REASON_DISCONNECT = 5,
                    BOOT_REASON_FATAL = 6,
                    BOOT_REASON_OOM = 7,
                    BOOT_REASON_WATCHDOG_HUNG = 8,
                    BOOT_REASON_WATCHDOG_PID = 9,
                    BOOT_REASON_KERNEL = 10,
                    BOOT_REASON_POWER_FAIL = 11,
                    BOOT_REASON_UNKNOWN = 12,
                    BOOT_REASON_VAULT_FAILED = 13,
                    BOOT_REASON_POWEROFF_CMD = 14,
                    BOOT_REASON_PARSE_FAIL = 255
                }

                interface IZInfoConfigItemStatus extends org.lfedge.eve.info.ZInfoConfigItemStatus.$Properties {
                }

                class ZInfoConfigItemStatus {
                    constructor(properties?: org.lfedge.eve.info.ZInfoConfigItemStatus.$Properties);
                    $unknowns?: Uint8Array[];
                    configItems: { [k: string]: org.lfedge.eve.info.ZInfoConfigItem.$Properties };
                    unknownConfigItems: { [k: string]: org.lfedge.eve.info.ZInfoConfigItem.$Properties };
                    static create(properties: org.lfedge.eve.info.ZInfoConfigItemStatus.$Shape): org.lfedge.eve.info.ZInfoConfigItemStatus & org.lfedge.eve.info.ZInfoConfigItemStatus.$Shape;
                    static create(properties?: org.lfedge.eve.info.ZInfoConfigItemStatus.$Properties): org.lfedge.eve.info.ZInfoConfigItemStatus;
                    static encode(message: org.lfedge.eve.info.ZInfoConfigItemStatus.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.info.ZInfoConfigItemStatus & org.lfedge.eve.info.ZInfoConfigItemStatus.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.info.ZInfoConfigItemStatus;
                    static toObject(message: org.lfedge.eve.info.ZInfoConfigItemStatus, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ZInfoConfigItemStatus {
                    interface $Properties {
                        configItems?: ({ [k: string]: org.lfedge.eve.info.ZInfoConfigItem.$Properties }|null);
                        unknownConfigItems?: ({ [k: string]: org.lfedge.eve.info.ZInfoConfigItem.$Properties }|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.info.ZInfoConfigItemStatus.$Properties;
                }

                interface IZInfoConfigItem extends org.lfedge.eve.info.ZInfoConfigItem.$Properties {
                }

                class ZInfoConfigItem {
                    constructor(properties?: org.lfedge.eve.info.ZInfoConfigItem.$Properties);
                    $unknowns?: Uint8Array[];
                    value: string;
                    error: string;
                    static create(properties: org.lfedge.eve.info.ZInfoConfigItem.$Shape): org.lfedge.eve.info.ZInfoConfigItem & org.lfedge.eve.info.ZInfoConfigItem.$Shape;
                    static create(properties?: org.lfedge.eve.info.ZInfoConfigItem.$Properties): org.lfedge.eve.info.ZInfoConfigItem;
                    static encode(message: org.lfedge.eve.info.ZInfoConfigItem.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.info.ZInfoConfigItem & org.lfedge.eve.info.ZInfoConfigItem.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.info.ZInfoConfigItem;
                    static toObject(message: org.lfedge.eve.info.ZInfoConfigItem, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ZInfoConfigItem {
                    interface $Properties {
                        value?: (string|null);
                        error?: (string|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.info.ZInfoConfigItem.$Properties;
                }

                interface IProxyStatus extends org.lfedge.eve.info.ProxyStatus.$Properties {
                }

                class ProxyStatus {
                    constructor(properties?: org.lfedge.eve.info.ProxyStatus.$Properties);
                    $unknowns?: Uint8Array[];
                    proxies: org.lfedge.eve.info.ProxyEntry.$Properties[];
                    exceptions: string;
                    pacfile: string;
                    networkProxyEnable: boolean;
                    networkProxyURL: string;
                    wpadURL: string;
                    static create(properties: org.lfedge.eve.info.ProxyStatus.$Shape): org.lfedge.eve.info.ProxyStatus & org.lfedge.eve.info.ProxyStatus.$Shape;
                    static create(properties?: org.lfedge.eve.info.ProxyStatus.$Properties): org.lfedge.eve.info.ProxyStatus;
                    static encode(message: org.lfedge.eve.info.ProxyStatus.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.info.ProxyStatus & org.lfedge.eve.info.ProxyStatus.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.info.ProxyStatus;
                    static toObject(message: org.lfedge.eve.info.ProxyStatus, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ProxyStatus {
                    interface $Properties {
                        proxies?: (org.lfedge.eve.info.ProxyEntry.$Properties[]|null);
                        exceptions?: (string|null);
                        pacfile?: (string|null);
                        networkProxyEnable?: (boolean|null);
                        networkProxyURL?: (string|null);
                        wpadURL?: (string|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.info.ProxyStatus.$Properties;
                }

                interface IProxyEntry extends org.lfedge.eve.info.ProxyEntry.$Properties {
                }

                class ProxyEntry {
                    constructor(properties?: org.lfedge.eve.info.ProxyEntry.$Properties);
                    $unknowns?: Uint8Array[];
                    type: number;
                    server: string;
                    port: number;
                    static create(properties: org.lfedge.eve.info.ProxyEntry.$Shape): org.lfedge.eve.info.ProxyEntry & org.lfedge.eve.info.ProxyEntry.$Shape;
                    static create(properties?: org.lfedge.eve.info.ProxyEntry.$Properties): org.lfedge.eve.info.ProxyEntry;
                    static encode(message: org.lfedge.eve.info.ProxyEntry.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.info.ProxyEntry & org.lfedge.eve.info.ProxyEntry.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.info.ProxyEntry;
                    static toObject(message: org.lfedge.eve.info.ProxyEntry, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ProxyEntry {
                    interface $Properties {
                        type?: (number|null);
                        server?: (string|null);
                        port?: (number|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.info.ProxyEntry.$Properties;
                }

                interface ISystemAdapterInfo extends org.lfedge.eve.info.SystemAdapterInfo.$Properties {
                }

                class SystemAdapterInfo {
                    constructor(properties?: org.lfedge.eve.info.SystemAdapterInfo.$Properties);
                    $unknowns?: Uint8Array[];
                    currentIndex: number;
                    status: org.lfedge.eve.info.DevicePortStatus.$Properties[];
                    static create(properties: org.lfedge.eve.info.SystemAdapterInfo.$Shape): org.lfedge.eve.info.SystemAdapterInfo & org.lfedge.eve.info.SystemAdapterInfo.$Shape;
                    static create(properties?: org.lfedge.eve.info.SystemAdapterInfo.$Properties): org.lfedge.eve.info.SystemAdapterInfo;
                    static encode(message: org.lfedge.eve.info.SystemAdapterInfo.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.info.SystemAdapterInfo & org.lfedge.eve.info.SystemAdapterInfo.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.info.SystemAdapterInfo;
                    static toObject(message: org.lfedge.eve.info.SystemAdapterInfo, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace SystemAdapterInfo {
                    interface $Properties {
                        currentIndex?: (number|null);
                        status?: (org.lfedge.eve.info.DevicePortStatus.$Properties[]|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.info.SystemAdapterInfo.$Properties;
                }

                interface IDevicePortStatus extends org.lfedge.eve.info.DevicePortStatus.$Properties {
                }

                class DevicePortStatus {
                    constructor(properties?: org.lfedge.eve.info.DevicePortStatus.$Properties);
                    $unknowns?: Uint8Array[];
                    version: number;
                    key: string;
                    timePriority?: (google.protobuf.Timestamp.$Properties|null);
                    lastFailed?: (google.protobuf.Timestamp.$Properties|null);
                    lastSucceeded?: (google.protobuf.Timestamp.$Properties|null);
                    ports: org.lfedge.eve.info.DevicePort.$Properties[];
                    lastError: string;
                    static create(properties: org.lfedge.eve.info.DevicePortStatus.$Shape): org.lfedge.eve.info.DevicePortStatus & org.lfedge.eve.info.DevicePortStatus.$Shape;
                    static create(properties?: org.lfedge.eve.info.DevicePortStatus.$Properties): org.lfedge.eve.info.DevicePortStatus;
                    static encode(message: org.lfedge.eve.info.DevicePortStatus.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.info.DevicePortStatus & org.lfedge.eve.info.DevicePortStatus.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.info.DevicePortStatus;
                    static toObject(message: org.lfedge.eve.info.DevicePortStatus, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace DevicePortStatus {
                    interface $Properties {
                        version?: (number|null);
                        key?: (string|null);
                        timePriority?: (google.protobuf.Timestamp.$Properties|null);
                        lastFailed?: (google.protobuf.Timestamp.$Properties|null);
                        lastSucceeded?: (google.protobuf.Timestamp.$Properties|null);
                        ports?: (org.lfedge.eve.info.DevicePort.$Properties[]|null);
                        lastError?: (string|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.info.DevicePortStatus.$Properties;
                }

                interface IDevicePort extends org.lfedge.eve.info.DevicePort.$Properties {
                }

                class DevicePort {
                    constructor(properties?: org.lfedge.eve.info.DevicePort.$Properties);
                    $unknowns?: Uint8Array[];
                    ifname: string;
                    name: string;
                    isMgmt: boolean;
                    free: boolean;
                    dhcpType: number;
                    subnet: string;
                    gateway: string;
                    domainname: string;
                    ntpServer: string;
                    more_ntp_servers: string[];
                    dnsServers: string[];
                    dhcpRangeLow: string;
                    dhcpRangeHigh: string;
                    proxy?: (org.lfedge.eve.info.ProxyStatus.$Properties|null);
                    macAddr: string;
                    IPAddrs: string[];
                    defaultRouters: string[];
                    dns?: (org.lfedge.eve.info.ZInfoDNS.$Properties|null);
                    up: boolean;
                    err?: (org.lfedge.eve.info.ErrorInfo.$Properties|null);
                    networkUUID: string;
                    cost: number;
                    mtu: number;
                    config_source?: (org.lfedge.eve.common.PortConfigSource.$Properties|null);
                    static create(properties: org.lfedge.eve.info.DevicePort.$Shape): org.lfedge.eve.info.DevicePort & org.lfedge.eve.info.DevicePort.$Shape;
                    static create(properties?: org.lfedge.eve.info.DevicePort.$Properties): org.lfedge.eve.info.DevicePort;
                    static encode(message: org.lfedge.eve.info.DevicePort.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.info.DevicePort & org.lfedge.eve.info.DevicePort.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.info.DevicePort;
                    static toObject(message: org.lfedge.eve.info.DevicePort, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace DevicePort {
                    interface $Properties {
                        ifname?: (string|null);
                        name?: (string|null);
                        isMgmt?: (boolean|null);
                        free?: (boolean|null);
                        dhcpType?: (number|null);
                        subnet?: (string|null);
                        gateway?: (string|null);
                        domainname?: (string|null);
                        ntpServer?: (string|null);
                        more_ntp_servers?: (string[]|null);
                        dnsServers?: (string[]|null);
                        dhcpRangeLow?: (string|null);
                        dhcpRangeHigh?: (string|null);
                        proxy?: (org.lfedge.eve.info.ProxyStatus.$Properties|null);
                        macAddr?: (string|null);
                        IPAddrs?: (string[]|null);
                        defaultRouters?: (string[]|null);
                        dns?: (org.lfedge.eve.info.ZInfoDNS.$Properties|null);
                        up?: (boolean|null);
                        err?: (org.lfedge.eve.info.ErrorInfo.$Properties|null);
                        networkUUID?: (string|null);
                        cost?: (number|null);
                        mtu?: (number|null);
                        config_source?: (org.lfedge.eve.common.PortConfigSource.$Properties|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.info.DevicePort.$Properties;
                }

                enum NTPSourceState {
                    NTP_SOURCE_STATE_UNSPECIFIED = 0,
                    NTP_SOURCE_STATE_SYNC = 1,
                    NTP_SOURCE_STATE_UNREACH = 2,
                    NTP_SOURCE_STATE_FALSETICKER = 3,
                    NTP_SOURCE_STATE_JITTERY = 4,
                    NTP_SOURCE_STATE_CANDIDATE = 5,
                    NTP_SOURCE_STATE_OUTLIER = 6
                }

                enum NTPSourceMode {
                    NTP_SOURCE_MODE_UNSPECIFIED = 0,
                    NTP_SOURCE_MODE_CLIENT = 1,
                    NTP_SOURCE_MODE_PEER = 2,
                    NTP_SOURCE_MODE_REF = 3
                }

                interface INTPSource extends org.lfedge.eve.info.NTPSource.$Properties {
                }

                class NTPSource {
                    constructor(properties?: org.lfedge.eve.info.NTPSource.$Properties);
                    $unknowns?: Uint8Array[];
                    authenticated: boolean;
                    reachable: boolean;
                    reachability: number;
                    state: org.lfedge.eve.info.NTPSourceState;
                    mode: org.lfedge.eve.info.NTPSourceMode;
                    hostname: string;
                    src_addr: string;
                    src_port: number;
                    dst_addr: string;
                    dst_port: number;
                    leap: number;
                    stratum: number;
                    precision: number;
                    ref_id: string;
                    ref_time?: (google.protobuf.Timestamp.$Properties|null);
                    poll: number;
                    flags: number;
                    offset: number;
                    delay: number;
                    dispersion: number;
                    jitter: number;
                    root_delay: number;
                    root_disp: number;
                    static create(properties: org.lfedge.eve.info.NTPSource.$Shape): org.lfedge.eve.info.NTPSource & org.lfedge.eve.info.NTPSource.$Shape;
                    static create(properties?: org.lfedge.eve.info.NTPSource.$Properties): org.lfedge.eve.info.NTPSource;
                    static encode(message: org.lfedge.eve.info.NTPSource.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.info.NTPSource & org.lfedge.eve.info.NTPSource.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.info.NTPSource;
                    static toObject(message: org.lfedge.eve.info.NTPSource, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace NTPSource {
                    interface $Properties {
                        authenticated?: (boolean|null);
                        reachable?: (boolean|null);
                        reachability?: (number|null);
                        state?: (org.lfedge.eve.info.NTPSourceState|null);
                        mode?: (org.lfedge.eve.info.NTPSourceMode|null);
                        hostname?: (string|null);
                        src_addr?: (string|null);
                        src_port?: (number|null);
                        dst_addr?: (string|null);
                        dst_port?: (number|null);
                        leap?: (number|null);
                        stratum?: (number|null);
                        precision?: (number|null);
                        ref_id?: (string|null);
                        ref_time?: (google.protobuf.Timestamp.$Properties|null);
                        poll?: (number|null);
                        flags?: (number|null);
                        offset?: (number|null);
                        delay?: (number|null);
                        dispersion?: (number|null);
                        jitter?: (number|null);
                        root_delay?: (number|null);
                        root_disp?: (number|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.info.NTPSource.$Properties;
                }

                interface IZInfoNTPSources extends org.lfedge.eve.info.ZInfoNTPSources.$Properties {
                }

                class ZInfoNTPSources {
                    constructor(properties?: org.lfedge.eve.info.ZInfoNTPSources.$Properties);
                    $unknowns?: Uint8Array[];
                    sources: org.lfedge.eve.info.NTPSource.$Properties[];
                    static create(properties: org.lfedge.eve.info.ZInfoNTPSources.$Shape): org.lfedge.eve.info.ZInfoNTPSources & org.lfedge.eve.info.ZInfoNTPSources.$Shape;
                    static create(properties?: org.lfedge.eve.info.ZInfoNTPSources.$Properties): org.lfedge.eve.info.ZInfoNTPSources;
                    static encode(message: org.lfedge.eve.info.ZInfoNTPSources.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.info.ZInfoNTPSources & org.lfedge.eve.info.ZInfoNTPSources.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.info.ZInfoNTPSources;
                    static toObject(message: org.lfedge.eve.info.ZInfoNTPSources, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ZInfoNTPSources {
                    interface $Properties {
                        sources?: (org.lfedge.eve.info.NTPSource.$Properties[]|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.info.ZInfoNTPSources.$Properties;
                }

                enum ZNetworkInstanceState {
                    ZNETINST_STATE_UNSPECIFIED = 0,
                    ZNETINST_STATE_INIT = 1,
                    ZNETINST_STATE_ONLINE = 2,
                    ZNETINST_STATE_ERROR = 3
                }

                interface IZmetIPAssignmentEntry extends org.lfedge.eve.info.ZmetIPAssignmentEntry.$Properties {
                }

                class ZmetIPAssignmentEntry {
                    constructor(properties?: org.lfedge.eve.info.ZmetIPAssignmentEntry.$Properties);
                    $unknowns?: Uint8Array[];
                    macAddress: string;
                    ipAddress: string[];
                    static create(properties: org.lfedge.eve.info.ZmetIPAssignmentEntry.$Shape): org.lfedge.eve.info.ZmetIPAssignmentEntry & org.lfedge.eve.info.ZmetIPAssignmentEntry.$Shape;
                    static create(properties?: org.lfedge.eve.info.ZmetIPAssignmentEntry.$Properties): org.lfedge.eve.info.ZmetIPAssignmentEntry;
                    static encode(message: org.lfedge.eve.info.ZmetIPAssignmentEntry.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.info.ZmetIPAssignmentEntry & org.lfedge.eve.info.ZmetIPAssignmentEntry.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.info.ZmetIPAssignmentEntry;
                    static toObject(message: org.lfedge.eve.info.ZmetIPAssignmentEntry, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ZmetIPAssignmentEntry {
                    interface $Properties {
                        macAddress?: (string|null);
                        ipAddress?: (string[]|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.info.ZmetIPAssignmentEntry.$Properties;
                }

                interface IZmetVifInfo extends org.lfedge.eve.info.ZmetVifInfo.$Properties {
                }

                class ZmetVifInfo {
                    constructor(properties?: org.lfedge.eve.info.ZmetVifInfo.$Properties);
                    $unknowns?: Uint8Array[];
                    vifName: string;
                    macAddress: string;
                    appID: string;
                    static create(properties: org.lfedge.eve.info.ZmetVifInfo.$Shape): org.lfedge.eve.info.ZmetVifInfo & org.lfedge.eve.info.ZmetVifInfo.$Shape;
                    static create(properties?: org.lfedge.eve.info.ZmetVifInfo.$Properties): org.lfedge.eve.info.ZmetVifInfo;
                    static encode(message: org.lfedge.eve.info.ZmetVifInfo.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.info.ZmetVifInfo & org.lfedge.eve.info.ZmetVifInfo.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.info.ZmetVifInfo;
                    static toObject(message: org.lfedge.eve.info.ZmetVifInfo, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ZmetVifInfo {
                    interface $Properties {
                        vifName?: (string|null);
                        macAddress?: (string|null);
                        appID?: (string|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.info.ZmetVifInfo.$Properties;
                }

                interface IZInfoNetworkInstance extends org.lfedge.eve.info.ZInfoNetworkInstance.$Properties {
                }

                class ZInfoNetworkInstance {
                    constructor(properties?: org.lfedge.eve.info.ZInfoNetworkInstance.$Properties);
                    $unknowns?: Uint8Array[];
                    networkID: string;
                    networkVersion: string;
                    instType: number;
                    displayname: string;
                    activated: boolean;
                    upTimeStamp?: (google.protobuf.Timestamp.$Properties|null);
                    CurrentUplinkIntf: string;
                    CurrentUplinkAlias: string;
                    ports: string[];
                    bridgeNum: number;
                    bridgeName: string;
                    bridgeIPAddr: string;
                    ipAssignments: org.lfedge.eve.info.ZmetIPAssignmentEntry.$Properties[];
                    vifs: org.lfedge.eve.info.ZmetVifInfo.$Properties[];
                    networkErr: org.lfedge.eve.info.ErrorInfo.$Properties[];
                    state: org.lfedge.eve.info.ZNetworkInstanceState;
                    mtu: number;
                    static create(properties: org.lfedge.eve.info.ZInfoNetworkInstance.$Shape): org.lfedge.eve.info.ZInfoNetworkInstance & org.lfedge.eve.info.ZInfoNetworkInstance.$Shape;
                    static create(properties?: org.lfedge.eve.info.ZInfoNetworkInstance.$Properties): org.lfedge.eve.info.ZInfoNetworkInstance;
                    static encode(message: org.lfedge.eve.info.ZInfoNetworkInstance.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.info.ZInfoNetworkInstance & org.lfedge.eve.info.ZInfoNetworkInstance.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.info.ZInfoNetworkInstance;
                    static toObject(message: org.lfedge.eve.info.ZInfoNetworkInstance, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ZInfoNetworkInstance {
                    interface $Properties {
                        networkID?: (string|null);
                        networkVersion?: (string|null);
                        instType?: (number|null);
                        displayname?: (string|null);
                        activated?: (boolean|null);
                        upTimeStamp?: (google.protobuf.Timestamp.$Properties|null);
                        CurrentUplinkIntf?: (string|null);
                        CurrentUplinkAlias?: (string|null);
                        ports?: (string[]|null);
                        bridgeNum?: (number|null);
                        bridgeName?: (string|null);
                        bridgeIPAddr?: (string|null);
                        ipAssignments?: (org.lfedge.eve.info.ZmetIPAssignmentEntry.$Properties[]|null);
                        vifs?: (org.lfedge.eve.info.ZmetVifInfo.$Properties[]|null);
                        networkErr?: (org.lfedge.eve.info.ErrorInfo.$Properties[]|null);
                        state?: (org.lfedge.eve.info.ZNetworkInstanceState|null);
                        mtu?: (number|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.info.ZInfoNetworkInstance.$Properties;
                }

                enum LocReliability {
                    LOC_RELIABILITY_UNSPECIFIED = 0,
                    LOC_RELIABILITY_VERY_LOW = 1,
                    LOC_RELIABILITY_LOW = 2,
                    LOC_RELIABILITY_MEDIUM = 3,
                    LOC_RELIABILITY_HIGH = 4
                }

                interface IZInfoLocation extends org.lfedge.eve.info.ZInfoLocation.$Properties {
                }

                class ZInfoLocation {
                    constructor(properties?: org.lfedge.eve.info.ZInfoLocation.$Properties);
                    $unknowns?: Uint8Array[];
                    latitude: number;
                    longitude: number;
                    altitude: number;
                    utc_timestamp?: (google.protobuf.Timestamp.$Properties|null);
                    horizontal_reliability: org.lfedge.eve.info.LocReliability;
                    vertical_reliability: org.lfedge.eve.info.LocReliability;
                    horizontal_uncertainty: number;
                    vertical_uncertainty: number;
                    logicallabel: string;
                    static create(properties: org.lfedge.eve.info.ZInfoLocation.$Shape): org.lfedge.eve.info.ZInfoLocation & org.lfedge.eve.info.ZInfoLocation.$Shape;
                    static create(properties?: org.lfedge.eve.info.ZInfoLocation.$Properties): org.lfedge.eve.info.ZInfoLocation;
                    static encode(message: org.lfedge.eve.info.ZInfoLocation.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.info.ZInfoLocation & org.lfedge.eve.info.ZInfoLocation.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.info.ZInfoLocation;
                    static toObject(message: org.lfedge.eve.info.ZInfoLocation, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ZInfoLocation {
                    interface $Properties {
                        latitude?: (number|null);
                        longitude?: (number|null);
                        altitude?: (number|null);
                        utc_timestamp?: (google.protobuf.Timestamp.$Properties|null);
                        horizontal_reliability?: (org.lfedge.eve.info.LocReliability|null);
                        vertical_reliability?: (org.lfedge.eve.info.LocReliability|null);
                        horizontal_uncertainty?: (number|null);
                        vertical_uncertainty?: (number|null);
                        logicallabel?: (string|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.info.ZInfoLocation.$Properties;
                }
            }

            namespace logs {

                interface ILogEntry extends org.lfedge.eve.logs.LogEntry.$Properties {
                }

                class LogEntry {
                    constructor(properties?: org.lfedge.eve.logs.LogEntry.$Properties);
                    $unknowns?: Uint8Array[];
                    severity: string;
                    source: string;
                    iid: string;
                    content: string;
                    msgid: number;
                    tags: { [k: string]: string };
                    timestamp?: (google.protobuf.Timestamp.$Properties|null);
                    filename: string;
                    function: string;
                    static create(properties: org.lfedge.eve.logs.LogEntry.$Shape): org.lfedge.eve.logs.LogEntry & org.lfedge.eve.logs.LogEntry.$Shape;
                    static create(properties?: org.lfedge.eve.logs.LogEntry.$Properties): org.lfedge.eve.logs.LogEntry;
                    static encode(message: org.lfedge.eve.logs.LogEntry.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.logs.LogEntry & org.lfedge.eve.logs.LogEntry.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.logs.LogEntry;
                    static toObject(message: org.lfedge.eve.logs.LogEntry, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace LogEntry {
                    interface $Properties {
                        severity?: (string|null);
                        source?: (string|null);
                        iid?: (string|null);
                        content?: (string|null);
                        msgid?: (number|null);
                        tags?: ({ [k: string]: string }|null);
                        timestamp?: (google.protobuf.Timestamp.$Properties|null);
                        filename?: (string|null);
                        "function"?: (string|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.logs.LogEntry.$Properties;
                }

                interface ILogBundle extends org.lfedge.eve.logs.LogBundle.$Properties {
                }

                class LogBundle {
                    constructor(properties?: org.lfedge.eve.logs.LogBundle.$Properties);
                    $unknowns?: Uint8Array[];
                    devID: string;
                    image: string;
                    log: org.lfedge.eve.logs.LogEntry.$Properties[];
                    timestamp?: (google.protobuf.Timestamp.$Properties|null);
                    eveVersion: string;
                    static create(properties: org.lfedge.eve.logs.LogBundle.$Shape): org.lfedge.eve.logs.LogBundle & org.lfedge.eve.logs.LogBundle.$Shape;
                    static create(properties?: org.lfedge.eve.logs.LogBundle.$Properties): org.lfedge.eve.logs.LogBundle;
                    static encode(message: org.lfedge.eve.logs.LogBundle.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.logs.LogBundle & org.lfedge.eve.logs.LogBundle.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.logs.LogBundle;
                    static toObject(message: org.lfedge.eve.logs.LogBundle, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace LogBundle {
                    interface $Properties {
                        devID?: (string|null);
                        image?: (string|null);
                        log?: (org.lfedge.eve.logs.LogEntry.$Properties[]|null);
                        timestamp?: (google.protobuf.Timestamp.$Properties|null);
                        eveVersion?: (string|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.logs.LogBundle.$Properties;
                }
            }

            namespace metrics {

                interface IZMetricMsg extends org.lfedge.eve.metrics.ZMetricMsg.$Properties {
                }

                class ZMetricMsg {
                    constructor(properties?: org.lfedge.eve.metrics.ZMetricMsg.$Properties);
                    $unknowns?: Uint8Array[];
                    devID: string;
                    atTimeStamp?: (google.protobuf.Timestamp.$Properties|null);
                    am: org.lfedge.eve.metrics.appMetric.$Properties[];
                    nm: org.lfedge.eve.metrics.ZMetricNetworkInstance.$Properties[];
                    vm: org.lfedge.eve.metrics.ZMetricVolume.$Properties[];
                    dm?: (org.lfedge.eve.metrics.deviceMetric.$Properties|null);
                    MetricContent?: "dm";
                    static create(properties: org.lfedge.eve.metrics.ZMetricMsg.$Shape): org.lfedge.eve.metrics.ZMetricMsg & org.lfedge.eve.metrics.ZMetricMsg.$Shape;
                    static create(properties?: org.lfedge.eve.metrics.ZMetricMsg.$Properties): org.lfedge.eve.metrics.ZMetricMsg;
                    static encode(message: org.lfedge.eve.metrics.ZMetricMsg.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.metrics.ZMetricMsg & org.lfedge.eve.metrics.ZMetricMsg.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.metrics.ZMetricMsg;
                    static toObject(message: org.lfedge.eve.metrics.ZMetricMsg, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ZMetricMsg {
                    interface $Properties {
                        devID?: (string|null);
                        atTimeStamp?: (google.protobuf.Timestamp.$Properties|null);
                        am?: (org.lfedge.eve.metrics.appMetric.$Properties[]|null);
                        nm?: (org.lfedge.eve.metrics.ZMetricNetworkInstance.$Properties[]|null);
                        vm?: (org.lfedge.eve.metrics.ZMetricVolume.$Properties[]|null);
                        dm?: (org.lfedge.eve.metrics.deviceMetric.$Properties|null);
                        MetricContent?: "dm";
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = {
                      devID?: string|null;
                      atTimeStamp?: google.protobuf.Timestamp.$Shape|null;
                      am?: org.lfedge.eve.metrics.appMetric.$Shape[]|null;
                      nm?: org.lfedge.eve.metrics.ZMetricNetworkInstance.$Shape[]|null;
                      vm?: org.lfedge.eve.metrics.ZMetricVolume.$Shape[]|null;
                      dm?: org.lfedge.eve.metrics.deviceMetric.$Shape|null;
                      $unknowns?: Uint8Array[];
                    } & (
                      ({ MetricContent?: undefined; dm?: null }|{ MetricContent?: "dm"; dm: org.lfedge.eve.metrics.deviceMetric.$Shape })
                    );
                }

                interface IdeviceMetric extends org.lfedge.eve.metrics.deviceMetric.$Properties {
                }

                class deviceMetric {
                    constructor(properties?: org.lfedge.eve.metrics.deviceMetric.$Properties);
                    $unknowns?: Uint8Array[];
                    memory?: (org.lfedge.eve.metrics.memoryMetric.$Properties|null);
                    network: org.lfedge.eve.metrics.networkMetric.$Properties[];
                    disk: org.lfedge.eve.metrics.diskMetric.$Properties[];
                    cpuMetric?: (org.lfedge.eve.metrics.appCpuMetric.$Properties|null);
                    runtimeStorageOverheadMB: number;
                    appRunTimeStorageMB: number;
                    systemServicesMemoryMB?: (org.lfedge.eve.metrics.memoryMetric.$Properties|null);
                    newlog?: (org.lfedge.eve.metrics.newlogMetric.$Properties|null);
                    last_received_config?: (google.protobuf.Timestamp.$Properties|null);
                    last_processed_config?: (google.protobuf.Timestamp.$Properties|null);
                    dormant_time_in_seconds: number;
                    static create(properties: org.lfedge.eve.metrics.deviceMetric.$Shape): org.lfedge.eve.metrics.deviceMetric & org.lfedge.eve.metrics.deviceMetric.$Shape;
                    static create(properties?: org.lfedge.eve.metrics.deviceMetric.$Properties): org.lfedge.eve.metrics.deviceMetric;
                    static encode(message: org.lfedge.eve.metrics.deviceMetric.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.metrics.deviceMetric & org.lfedge.eve.metrics.deviceMetric.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.metrics.deviceMetric;
                    static toObject(message: org.lfedge.eve.metrics.deviceMetric, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace deviceMetric {
                    interface $Properties {
                        memory?: (org.lfedge.eve.metrics.memoryMetric.$Properties|null);
                        network?: (org.lfedge.eve.metrics.networkMetric.$Properties[]|null);
                        disk?: (org.lfedge.eve.metrics.diskMetric.$Properties[]|null);
                        cpuMetric?: (org.lfedge.eve.metrics.appCpuMetric.$Properties|null);
                        runtimeStorageOverheadMB?: (number|null);
                        appRunTimeStorageMB?: (number|null);
                        systemServicesMemoryMB?: (org.lfedge.eve.metrics.memoryMetric.$Properties|null);
                        newlog?: (org.lfedge.eve.metrics.newlogMetric.$Properties|null);
                        last_received_config?: (google.protobuf.Timestamp.$Properties|null);
                        last_processed_config?: (google.protobuf.Timestamp.$Properties|null);
                        dormant_time_in_seconds?: (number|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.metrics.deviceMetric.$Properties;
                }

                interface ImemoryMetric extends org.lfedge.eve.metrics.memoryMetric.$Properties {
                }

                class memoryMetric {
                    constructor(properties?: org.lfedge.eve.metrics.memoryMetric.$Properties);
                    $unknowns?: Uint8Array[];
                    usedMem: number;
                    availMem: number;
                    usedPercentage: number;
                    availPercentage: number;
                    static create(properties: org.lfedge.eve.metrics.memoryMetric.$Shape): org.lfedge.eve.metrics.memoryMetric & org.lfedge.eve.metrics.memoryMetric.$Shape;
                    static create(properties?: org.lfedge.eve.metrics.memoryMetric.$Properties): org.lfedge.eve.metrics.memoryMetric;
                    static encode(message: org.lfedge.eve.metrics.memoryMetric.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.metrics.memoryMetric & org.lfedge.eve.metrics.memoryMetric.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.metrics.memoryMetric;
                    static toObject(message: org.lfedge.eve.metrics.memoryMetric, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace memoryMetric {
                    interface $Properties {
                        usedMem?: (number|null);
                        availMem?: (number|null);
                        usedPercentage?: (number|null);
                        availPercentage?: (number|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.metrics.memoryMetric.$Properties;
                }

                interface InetworkMetric extends org.lfedge.eve.metrics.networkMetric.$Properties {
                }

                class networkMetric {
                    constructor(properties?: org.lfedge.eve.metrics.networkMetric.$Properties);
                    $unknowns?: Uint8Array[];
                    iName: string;
                    alias: string;
                    txBytes: number;
                    rxBytes: number;
                    txDrops: number;
                    rxDrops: number;
                    txPkts: number;
                    rxPkts: number;
                    txErrors: number;
                    rxErrors: number;
                    txAclDrops: number;
                    rxAclDrops: number;
                    txAclRateLimitDrops: number;
                    rxAclRateLimitDrops: number;
                    localName: string;
                    static create(properties: org.lfedge.eve.metrics.networkMetric.$Shape): org.lfedge.eve.metrics.networkMetric & org.lfedge.eve.metrics.networkMetric.$Shape;
                    static create(properties?: org.lfedge.eve.metrics.networkMetric.$Properties): org.lfedge.eve.metrics.networkMetric;
                    static encode(message: org.lfedge.eve.metrics.networkMetric.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.metrics.networkMetric & org.lfedge.eve.metrics.networkMetric.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.metrics.networkMetric;
                    static toObject(message: org.lfedge.eve.metrics.networkMetric, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace networkMetric {
                    interface $Properties {
                        iName?: (string|null);
                        alias?: (string|null);
                        txBytes?: (number|null);
                        rxBytes?: (number|null);
                        txDrops?: (number|null);
                        rxDrops?: (number|null);
                        txPkts?: (number|null);
                        rxPkts?: (number|null);
                        txErrors?: (number|null);
                        rxErrors?: (number|null);
                        txAclDrops?: (number|null);
                        rxAclDrops?: (number|null);
                        txAclRateLimitDrops?: (number|null);
                        rxAclRateLimitDrops?: (number|null);
                        localName?: (string|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.metrics.networkMetric.$Properties;
                }

                interface IdiskMetric extends org.lfedge.eve.metrics.diskMetric.$Properties {
                }

                class diskMetric {
                    constructor(properties?: org.lfedge.eve.metrics.diskMetric.$Properties);
                    $unknowns?: Uint8Array[];
                    disk: string;
                    mountPath: string;
                    readBytes: number;
                    writeBytes: number;
                    readCount: number;
                    writeCount: number;
                    total: number;
                    used: number;
                    free: number;
                    static create(properties: org.lfedge.eve.metrics.diskMetric.$Shape): org.lfedge.eve.metrics.diskMetric & org.lfedge.eve.metrics.diskMetric.$Shape;
                    static create(properties?: org.lfedge.eve.metrics.diskMetric.$Properties): org.lfedge.eve.metrics.diskMetric;
                    static encode(message: org.lfedge.eve.metrics.diskMetric.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.metrics.diskMetric & org.lfedge.eve.metrics.diskMetric.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.metrics.diskMetric;
                    static toObject(message: org.lfedge.eve.metrics.diskMetric, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace diskMetric {
                    interface $Properties {
                        disk?: (string|null);
                        mountPath?: (string|null);
                        readBytes?: (number|null);
                        writeBytes?: (number|null);
                        readCount?: (number|null);
                        writeCount?: (number|null);
                        total?: (number|null);
                        used?: (number|null);
                        free?: (number|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.metrics.diskMetric.$Properties;
                }

                interface IappCpuMetric extends org.lfedge.eve.metrics.appCpuMetric.$Properties {
                }

                class appCpuMetric {
                    constructor(properties?: org.lfedge.eve.metrics.appCpuMetric.$Properties);
                    $unknowns?: Uint8Array[];
                    upTime?: (google.protobuf.Timestamp.$Properties|null);
                    total: number;
                    systemTotal: number;
                    total_ns: number;
                    static create(properties: org.lfedge.eve.metrics.appCpuMetric.$Shape): org.lfedge.eve.metrics.appCpuMetric & org.lfedge.eve.metrics.appCpuMetric.$Shape;
                    static create(properties?: org.lfedge.eve.metrics.appCpuMetric.$Properties): org.lfedge.eve.metrics.appCpuMetric;
                    static encode(message: org.lfedge.eve.metrics.appCpuMetric.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.metrics.appCpuMetric & org.lfedge.eve.metrics.appCpuMetric.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.metrics.appCpuMetric;
                    static toObject(message: org.lfedge.eve.metrics.appCpuMetric, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace appCpuMetric {
                    interface $Properties {
                        upTime?: (google.protobuf.Timestamp.$Properties|null);
                        total?: (number|null);
                        systemTotal?: (number|null);
                        total_ns?: (number|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.metrics.appCpuMetric.$Properties;
                }

                interface IappMetric extends org.lfedge.eve.metrics.appMetric.$Properties {
                }

                class appMetric {
                    constructor(properties?: org.lfedge.eve.metrics.appMetric.$Properties);
                    $unknowns?: Uint8Array[];
                    AppID: string;
                    appVersion: string;
                    AppName: string;
                    cpu?: (org.lfedge.eve.metrics.appCpuMetric.$Properties|null);
                    memory?: (org.lfedge.eve.metrics.memoryMetric.$Properties|null);
                    network: org.lfedge.eve.metrics.networkMetric.$Properties[];
                    appMemory?: (org.lfedge.eve.metrics.AppMemoryMetric.$Properties|null);
                    static create(properties: org.lfedge.eve.metrics.appMetric.$Shape): org.lfedge.eve.metrics.appMetric & org.lfedge.eve.metrics.appMetric.$Shape;
                    static create(properties?: org.lfedge.eve.metrics.appMetric.$Properties): org.lfedge.eve.metrics.appMetric;
                    static encode(message: org.lfedge.eve.metrics.appMetric.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.metrics.appMetric & org.lfedge.eve.metrics.appMetric.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.metrics.appMetric;
                    static toObject(message: org.lfedge.eve.metrics.appMetric, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace appMetric {
                    interface $Properties {
                        AppID?: (string|null);
                        appVersion?: (string|null);
                        AppName?: (string|null);
                        cpu?: (org.lfedge.eve.metrics.appCpuMetric.$Properties|null);
                        memory?: (org.lfedge.eve.metrics.memoryMetric.$Properties|null);
                        network?: (org.lfedge.eve.metrics.networkMetric.$Properties[]|null);
                        appMemory?: (org.lfedge.eve.metrics.AppMemoryMetric.$Properties|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.metrics.appMetric.$Properties;
                }

                interface IAppMemoryMetric extends org.lfedge.eve.metrics.AppMemoryMetric.$Properties {
                }

                class AppMemoryMetric {
                    constructor(properties?: org.lfedge.eve.metrics.AppMemoryMetric.$Properties);
                    $unknowns?: Uint8Array[];
                    allocatedMB: number;
                    usedMB: number;
                    static create(properties: org.lfedge.eve.metrics.AppMemoryMetric.$Shape): org.lfedge.eve.metrics.AppMemoryMetric & org.lfedge.eve.metrics.AppMemoryMetric.$Shape;
                    static create(properties?: org.lfedge.eve.metrics.AppMemoryMetric.$Properties): org.lfedge.eve.metrics.AppMemoryMetric;
                    static encode(message: org.lfedge.eve.metrics.AppMemoryMetric.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.metrics.AppMemoryMetric & org.lfedge.eve.metrics.AppMemoryMetric.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.metrics.AppMemoryMetric;
                    static toObject(message: org.lfedge.eve.metrics.AppMemoryMetric, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace AppMemoryMetric {
                    interface $Properties {
                        allocatedMB?: (number|null);
                        usedMB?: (number|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.metrics.AppMemoryMetric.$Properties;
                }

                interface IZMetricVolume extends org.lfedge.eve.metrics.ZMetricVolume.$Properties {
                }

                class ZMetricVolume {
                    constructor(properties?: org.lfedge.eve.metrics.ZMetricVolume.$Properties);
                    $unknowns?: Uint8Array[];
                    uuid: string;
                    displayName: string;
                    readBytes: number;
                    writeBytes: number;
                    readCount: number;
                    writeCount: number;
                    totalBytes: number;
                    usedBytes: number;
                    freeBytes: number;
                    static create(properties: org.lfedge.eve.metrics.ZMetricVolume.$Shape): org.lfedge.eve.metrics.ZMetricVolume & org.lfedge.eve.metrics.ZMetricVolume.$Shape;
                    static create(properties?: org.lfedge.eve.metrics.ZMetricVolume.$Properties): org.lfedge.eve.metrics.ZMetricVolume;
                    static encode(message: org.lfedge.eve.metrics.ZMetricVolume.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.metrics.ZMetricVolume & org.lfedge.eve.metrics.ZMetricVolume.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.metrics.ZMetricVolume;
                    static toObject(message: org.lfedge.eve.metrics.ZMetricVolume, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ZMetricVolume {
                    interface $Properties {
                        uuid?: (string|null);
                        displayName?: (string|null);
                        readBytes?: (number|null);
                        writeBytes?: (number|null);
                        readCount?: (number|null);
                        writeCount?: (number|null);
                        totalBytes?: (number|null);
                        usedBytes?: (number|null);
                        freeBytes?: (number|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.metrics.ZMetricVolume.$Properties;
                }

                interface InewlogMetric extends org.lfedge.eve.metrics.newlogMetric.$Properties {
                }

                class newlogMetric {
                    constructor(properties?: org.lfedge.eve.metrics.newlogMetric.$Properties);
                    $unknowns?: Uint8Array[];
                    failedToSend: boolean;
                    failSentStartTime?: (google.protobuf.Timestamp.$Properties|null);
                    totalBytesUpload: number;
                    num4xxResponses: number;
                    currentUploadIntv: number;
                    logfileTimeout: number;
                    maxGzipFileSize: number;
                    avgGzipFileSize: number;
                    mimUploadMsec: number;
                    maxUploadMsec: number;
                    avgUploadMsec: number;
                    lastUploadMsec: number;
                    currentCPULoadPct: number;
                    averageCPULoadPct: number;
                    currentProcessDelay: number;
                    averageProcessDelay: number;
                    deviceMetrics?: (org.lfedge.eve.metrics.logfileMetrics.$Properties|null);
                    appMetrics?: (org.lfedge.eve.metrics.logfileMetrics.$Properties|null);
                    top10_input_sources: { [k: string]: number };
                    gzipFilesRemoved: number;
                    tooManyRequest: number;
                    skipUploadAppFile: number;
                    total_size_logs: number;
                    oldest_saved_device_log?: (google.protobuf.Timestamp.$Properties|null);
                    static create(properties: org.lfedge.eve.metrics.newlogMetric.$Shape): org.lfedge.eve.metrics.newlogMetric & org.lfedge.eve.metrics.newlogMetric.$Shape;
                    static create(properties?: org.lfedge.eve.metrics.newlogMetric.$Properties): org.lfedge.eve.metrics.newlogMetric;
                    static encode(message: org.lfedge.eve.metrics.newlogMetric.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.metrics.newlogMetric & org.lfedge.eve.metrics.newlogMetric.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.metrics.newlogMetric;
                    static toObject(message: org.lfedge.eve.metrics.newlogMetric, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace newlogMetric {
                    interface $Properties {
                        failedToSend?: (boolean|null);
                        failSentStartTime?: (google.protobuf.Timestamp.$Properties|null);
                        totalBytesUpload?: (number|null);
                        num4xxResponses?: (number|null);
                        currentUploadIntv?: (number|null);
                        logfileTimeout?: (number|null);
                        maxGzipFileSize?: (number|null);
                        avgGzipFileSize?: (number|null);
                        mimUploadMsec?: (number|null);
                        maxUploadMsec?: (number|null);
                        avgUploadMsec?: (number|null);
                        lastUploadMsec?: (number|null);
                        currentCPULoadPct?: (number|null);
                        averageCPULoadPct?: (number|null);
                        currentProcessDelay?: (number|null);
                        averageProcessDelay?: (number|null);
                        deviceMetrics?: (org.lfedge.eve.metrics.logfileMetrics.$Properties|null);
                        appMetrics?: (org.lfedge.eve.metrics.logfileMetrics.$Properties|null);
                        top10_input_sources?: ({ [k: string]: number }|null);
                        gzipFilesRemoved?: (number|null);
                        tooManyRequest?: (number|null);
                        skipUploadAppFile?: (number|null);
                        total_size_logs?: (number|null);
                        oldest_saved_device_log?: (google.protobuf.Timestamp.$Properties|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.metrics.newlogMetric.$Properties;
                }

                interface IlogfileMetrics extends org.lfedge.eve.metrics.logfileMetrics.$Properties {
                }

                class logfileMetrics {
                    constructor(properties?: org.lfedge.eve.metrics.logfileMetrics.$Properties);
                    $unknowns?: Uint8Array[];
                    numGzipFileSent: number;
                    numGzipBytesWrite: number;
                    numBytesWrite: number;
                    numGzipFileInDir: number;
                    numInputEvent: number;
                    numGzipFileRetry: number;
                    numGzipFileKeptLocal: number;
                    recentGzipFileTime?: (google.protobuf.Timestamp.$Properties|null);
                    lastGzipFileSendTime?: (google.protobuf.Timestamp.$Properties|null);
                    static create(properties: org.lfedge.eve.metrics.logfileMetrics.$Shape): org.lfedge.eve.metrics.logfileMetrics & org.lfedge.eve.metrics.logfileMetrics.$Shape;
                    static create(properties?: org.lfedge.eve.metrics.logfileMetrics.$Properties): org.lfedge.eve.metrics.logfileMetrics;
                    static encode(message: org.lfedge.eve.metrics.logfileMetrics.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.metrics.logfileMetrics & org.lfedge.eve.metrics.logfileMetrics.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.metrics.logfileMetrics;
                    static toObject(message: org.lfedge.eve.metrics.logfileMetrics, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace logfileMetrics {
                    interface $Properties {
                        numGzipFileSent?: (number|null);
                        numGzipBytesWrite?: (number|null);
                        numBytesWrite?: (number|null);
                        numGzipFileInDir?: (number|null);
                        numInputEvent?: (number|null);
                        numGzipFileRetry?: (number|null);
                        numGzipFileKeptLocal?: (number|null);
                        recentGzipFileTime?: (google.protobuf.Timestamp.$Properties|null);
                        lastGzipFileSendTime?: (google.protobuf.Timestamp.$Properties|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.metrics.logfileMetrics.$Properties;
                }

                interface IZMetricNetworkInstance extends org.lfedge.eve.metrics.ZMetricNetworkInstance.$Properties {
                }

                class ZMetricNetworkInstance {
                    constructor(properties?: org.lfedge.eve.metrics.ZMetricNetworkInstance.$Properties);
                    $unknowns?: Uint8Array[];
                    networkID: string;
                    networkVersion: string;
                    instType: number;
                    displayname: string;
                    activated: boolean;
                    network: org.lfedge.eve.metrics.networkMetric.$Properties[];
                    static create(properties: org.lfedge.eve.metrics.ZMetricNetworkInstance.$Shape): org.lfedge.eve.metrics.ZMetricNetworkInstance & org.lfedge.eve.metrics.ZMetricNetworkInstance.$Shape;
                    static create(properties?: org.lfedge.eve.metrics.ZMetricNetworkInstance.$Properties): org.lfedge.eve.metrics.ZMetricNetworkInstance;
                    static encode(message: org.lfedge.eve.metrics.ZMetricNetworkInstance.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.metrics.ZMetricNetworkInstance & org.lfedge.eve.metrics.ZMetricNetworkInstance.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.metrics.ZMetricNetworkInstance;
                    static toObject(message: org.lfedge.eve.metrics.ZMetricNetworkInstance, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ZMetricNetworkInstance {
                    interface $Properties {
                        networkID?: (string|null);
                        networkVersion?: (string|null);
                        instType?: (number|null);
                        displayname?: (string|null);
                        activated?: (boolean|null);
                        network?: (org.lfedge.eve.metrics.networkMetric.$Properties[]|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.metrics.ZMetricNetworkInstance.$Properties;
                }
            }

            namespace register {

                interface IZRegisterMsg extends org.lfedge.eve.register.ZRegisterMsg.$Properties {
                }

                class ZRegisterMsg {
                    constructor(properties?: org.lfedge.eve.register.ZRegisterMsg.$Properties);
                    $unknowns?: Uint8Array[];
                    onBoardKey: string;
                    pemCert: Uint8Array;
                    serial: string;
                    softSerial: string;
                    static create(properties: org.lfedge.eve.register.ZRegisterMsg.$Shape): org.lfedge.eve.register.ZRegisterMsg & org.lfedge.eve.register.ZRegisterMsg.$Shape;
                    static create(properties?: org.lfedge.eve.register.ZRegisterMsg.$Properties): org.lfedge.eve.register.ZRegisterMsg;
                    static encode(message: org.lfedge.eve.register.ZRegisterMsg.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.register.ZRegisterMsg & org.lfedge.eve.register.ZRegisterMsg.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.register.ZRegisterMsg;
                    static toObject(message: org.lfedge.eve.register.ZRegisterMsg, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ZRegisterMsg {
                    interface $Properties {
                        onBoardKey?: (string|null);
                        pemCert?: (Uint8Array|null);
                        serial?: (string|null);
                        softSerial?: (string|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.register.ZRegisterMsg.$Properties;
                }
            }

            namespace uuid {

                interface IUuidRequest extends org.lfedge.eve.uuid.UuidRequest.$Properties {
                }

                class UuidRequest {
                    constructor(properties?: org.lfedge.eve.uuid.UuidRequest.$Properties);
                    $unknowns?: Uint8Array[];
                    static create(properties: org.lfedge.eve.uuid.UuidRequest.$Shape): org.lfedge.eve.uuid.UuidRequest & org.lfedge.eve.uuid.UuidRequest.$Shape;
                    static create(properties?: org.lfedge.eve.uuid.UuidRequest.$Properties): org.lfedge.eve.uuid.UuidRequest;
                    static encode(message: org.lfedge.eve.uuid.UuidRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.uuid.UuidRequest & org.lfedge.eve.uuid.UuidRequest.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.uuid.UuidRequest;
                    static toObject(message: org.lfedge.eve.uuid.UuidRequest, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace UuidRequest {
                    interface $Properties {
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.uuid.UuidRequest.$Properties;
                }

                interface IUuidResponse extends org.lfedge.eve.uuid.UuidResponse.$Properties {
                }

                class UuidResponse {
                    constructor(properties?: org.lfedge.eve.uuid.UuidResponse.$Properties);
                    $unknowns?: Uint8Array[];
                    uuid: string;
                    manufacturer: string;
                    product_name: string;
                    static create(properties: org.lfedge.eve.uuid.UuidResponse.$Shape): org.lfedge.eve.uuid.UuidResponse & org.lfedge.eve.uuid.UuidResponse.$Shape;
                    static create(properties?: org.lfedge.eve.uuid.UuidResponse.$Properties): org.lfedge.eve.uuid.UuidResponse;
                    static encode(message: org.lfedge.eve.uuid.UuidResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.uuid.UuidResponse & org.lfedge.eve.uuid.UuidResponse.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.uuid.UuidResponse;
                    static toObject(message: org.lfedge.eve.uuid.UuidResponse, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace UuidResponse {
                    interface $Properties {
                        uuid?: (string|null);
                        manufacturer?: (string|null);
                        product_name?: (string|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.uuid.UuidResponse.$Properties;
                }
            }
        }
    }
}

export namespace google {

    namespace protobuf {

        interface ITimestamp extends google.protobuf.Timestamp.$Properties {
        }

        class Timestamp {
            constructor(properties?: google.protobuf.Timestamp.$Properties);
            $unknowns?: Uint8Array[];
            seconds: number;
            nanos: number;
            static create(properties: google.protobuf.Timestamp.$Shape): google.protobuf.Timestamp & google.protobuf.Timestamp.$Shape;
            static create(properties?: google.protobuf.Timestamp.$Properties): google.protobuf.Timestamp;
            static encode(message: google.protobuf.Timestamp.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): google.protobuf.Timestamp & google.protobuf.Timestamp.$Shape;
            static fromObject(object: { [k: string]: any }): google.protobuf.Timestamp;
            static toObject(message: google.protobuf.Timestamp, options?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
        }

        namespace Timestamp {
            interface $Properties {
                seconds?: (number|null);
                nanos?: (number|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = google.protobuf.Timestamp.$Properties;
        }
    }
}
