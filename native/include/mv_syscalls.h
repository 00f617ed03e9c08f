/*
 * Microvisor system-call API for host builds.
 *
 * Source-compatible with stm32u5/mv_syscalls.h of the Microvisor SDK, v0.7.0
 * (korewireless/Microvisor-SDK, June 2024): the same 71 functions, enum values,
 * struct members in the same order with the same types, and the same handle
 * typedefs. Firmware written against the vendor header compiles against this one
 * unchanged and links against libmvhost instead of the vendor's mv_syscalls.o.
 * Every comment here is written for mvsim. Where the vendor comments are wrong
 * (the network status names, the store field, some status lists), the comments
 * here give the correct meaning.
 *
 * Host notes:
 * - Each enum ends with a __MAX member of 0xffffffff (or 0xff for a few) so the
 *   target's toolchain gives it 4 bytes. ISO C limits enumerators to int, so GCC
 *   and Clang take this as an extension and use unsigned int. The -Wpedantic
 *   warning for it is turned off inside this header only.
 * - Handles are pointers to opaque structs, as in the vendor header. The value is a
 *   32-bit number chosen by Microvisor, and 0 is never a valid handle. On LP64 hosts
 *   the handle is 8 bytes wide, so structs that hold handles or pointers are larger
 *   than on the 32-bit target.
 * - Needs C11 (anonymous unions in the versioned structs) or C++11.
 *
 * Every call returns enum MvStatus and reports results only through pointers.
 * The "Statuses" lines list what the vendor documents for each call, apart from
 * MV_STATUS_OKAY, which every call can return.
 */
#ifndef MV_API_H
/* The vendor header uses the same guard, so including both is harmless. */
#define MV_API_H

#include <stdint.h>

#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#endif

/* ------------------------------------------------------------------------- */
/* Status codes                                                              */
/* ------------------------------------------------------------------------- */

/* Result of every system call. */
enum MvStatus {
    MV_STATUS_OKAY = 0x00,
    /* No wall-clock time yet: the server has not synchronised the RTC. */
    MV_STATUS_TIMENOTSET = 0x01,
    /* A pointer argument lies outside memory the app may access. Microvisor also
       returns it for other invalid parameters. */
    MV_STATUS_PARAMETERFAULT = 0x02,
    /* A buffer's size is not valid for this call. Logging also returns it when
       the server rate-limits messages. */
    MV_STATUS_INVALIDBUFFERSIZE = 0x03,
    /* Peripheral register address not supported, or not word-aligned. */
    MV_STATUS_PERIPHERALACCESSFAULT = 0x04,
    /* Another object already owns the buffer. */
    MV_STATUS_BUFFERALREADYINUSE = 0x05,
    /* The IRQ is not available to the app, or another object claimed it. */
    MV_STATUS_INVALIDINTERRUPT = 0x06,
    /* The handle is invalid or refers to an object of another kind. */
    MV_STATUS_INVALIDHANDLE = 0x07,
    /* The maximum number of notification buffers (32) are in use. */
    MV_STATUS_TOOMANYNOTIFICATIONBUFFERS = 0x08,
    /* The vector address for a fast interrupt is invalid. */
    MV_STATUS_INVALIDVECTOR = 0x09,
    /* The call is not possible in the current state. */
    MV_STATUS_UNAVAILABLE = 0x0A,
    /* A versioned struct carries a version Microvisor does not support. */
    MV_STATUS_UNSUPPORTEDSTRUCTUREVERSION = 0x0B,
    /* The maximum number of open channels is reached. */
    MV_STATUS_TOOMANYCHANNELS = 0x0C,
    /* The channel endpoint name is not known. */
    MV_STATUS_UNKNOWNCHANNELENDPOINT = 0x0D,
    /* The channel type is not known. */
    MV_STATUS_UNKNOWNCHANNELTYPE = 0x0E,
    /* The channel has closed. */
    MV_STATUS_CHANNELCLOSED = 0x0F,
    /* The device is offline, so the network operation was rejected. */
    MV_STATUS_NETWORKNOTCONNECTED = 0x10,
    /* Called too often: back off, then retry. */
    MV_STATUS_RATELIMITED = 0x11,
    /* A buffer is not aligned as this call requires. */
    MV_STATUS_INVALIDBUFFERALIGNMENT = 0x12,
    /* The operation took effect, but writing one of its outputs faulted. */
    MV_STATUS_LATEFAULT = 0x13,
    /* No response has arrived yet (HTTP and config fetch channels). */
    MV_STATUS_RESPONSENOTPRESENT = 0x14,
    /* An item or header index is out of range. */
    MV_STATUS_INDEXINVALID = 0x15,
    /* An offset lies past the end of an HTTP response body. */
    MV_STATUS_OFFSETINVALID = 0x16,
    /* The channel has already carried its one request. */
    MV_STATUS_REQUESTALREADYSENT = 0x17,
    /* The request failed, so there is nothing to read. */
    MV_STATUS_REQUESTUNSUCCESSFUL = 0x18,
    /* The log message is longer than the maximum. */
    MV_STATUS_LOGMESSAGETOOLONG = 0x19,
    /* The server has turned logging off for this device. */
    MV_STATUS_LOGGINGDISABLEDBYSERVER = 0x1A,
    /* One config fetch request names too many keys. */
    MV_STATUS_TOOMANYCONFIGKEYS = 0x1B,
    /* A config key names an unknown store. */
    MV_STATUS_UNKNOWNCONFIGSTORE = 0x1C,
    /* A config key names an unknown scope. */
    MV_STATUS_UNKNOWNCONFIGSCOPE = 0x1D,
    /* A config key name is invalid: only printable ASCII is accepted. */
    MV_STATUS_INVALIDCONFIGKEY = 0x1E,
    /* The authentication supplied (MQTT) is invalid. */
    MV_STATUS_INVALIDAUTHENTICATION = 0x1F,
    /* The data requested is not the kind the object holds. */
    MV_STATUS_WRONGDATAREQUESTED = 0x20,
    /* Unexpected internal error. */
    MV_STATUS_INTERNALERROR = 0x21,
    /* Too many elements (headers, certificates, topics, depending on the call). */
    MV_STATUS_TOOMANYELEMENTS = 0x22,
    /* The request lacks a mandatory element. */
    MV_STATUS_REQUIREDELEMENTMISSING = 0x23,
    /* Microvisor is busy, for example the network is still active. */
    MV_STATUS_MICROVISORBUSY = 0x24,
    /* An address or length is out of range. */
    MV_STATUS_ADDRESSOUTOFRANGE = 0x25,
    /* The input is longer than the call accepts. */
    MV_STATUS_INPUTTOOLONG = 0x26,
    /* Size marker only; never returned. */
    MV_STATUS__MAX = 0xffffffff
};

/* ------------------------------------------------------------------------- */
/* Handles                                                                   */
/* ------------------------------------------------------------------------- */

/* Notification centre: a ring buffer plus the IRQ pended for new records. */
typedef struct MvNotificationHandleOpaque *MvNotificationHandle;

/* The app's request to be online. */
typedef struct MvNetworkHandleOpaque *MvNetworkHandle;

/* A data channel (raw bytes, MQTT, HTTP or config fetch). */
typedef struct MvChannelHandleOpaque *MvChannelHandle;

/* A subscription to system-wide notifications. */
typedef struct MvSystemEventHandleOpaque *MvSystemEventHandle;

/* An open session on the external flash. */
typedef struct MvExternalFlashHandleOpaque *MvExternalFlashHandle;

/* ------------------------------------------------------------------------- */
/* Strings                                                                   */
/* ------------------------------------------------------------------------- */

/* Input string with an explicit length; no NUL terminator is needed. */
struct MvSizedString {
    const uint8_t *data;
    uint32_t length;
};

/* Output buffer. Microvisor writes at most size bytes, adds no NUL terminator,
   and stores the number of bytes written in *length. */
struct MvSizedStringBuffer {
    uint8_t *data;
    uint32_t size;
    uint32_t *length;
};

/* ------------------------------------------------------------------------- */
/* Notifications                                                             */
/* ------------------------------------------------------------------------- */

/* Kind of event recorded in a notification. */
enum MvEventType {
    /* No event. Apps write it into a record once they have handled it. */
    MV_EVENTTYPE_NOEVENT = 0x0,
    /* The network status changed (network requests, system notifications). */
    MV_EVENTTYPE_NETWORKSTATUSCHANGED = 0x1,
    /* A channel has data or a response to read (HTTP, MQTT, config fetch). */
    MV_EVENTTYPE_CHANNELDATAREADABLE = 0x2,
    /* Space has been freed in a channel's send buffer. */
    MV_EVENTTYPE_CHANNELDATAWRITESPACE = 0x3,
    /* A channel was disconnected. mvGetChannelClosureReason returns the reason. */
    MV_EVENTTYPE_CHANNELNOTCONNECTED = 0x4,
    /* An application or kernel update has been downloaded. */
    MV_EVENTTYPE_UPDATEDOWNLOADED = 0x5,
    MV_EVENTTYPE__MAX = 0xffffffff
};

/* One 16-byte record in a notification ring. Microvisor fills the next slot
   (wrapping at the end of the ring) and then pends the centre's IRQ. */
struct MvNotification {
    /* Time of the event on the mvGetMicroseconds clock. */
    uint64_t microseconds;
    enum MvEventType event_type;
    /* The tag the app gave the source (network request, channel, ...). */
    uint32_t tag;
};

/* Configuration of a notification centre. */
struct MvNotificationSetup {
    /* NVIC IRQ number pended for each new record. */
    uint32_t irq;
    /* The ring, in writable app memory; Microvisor owns it until closed. */
    struct MvNotification *buffer;
    /* Ring size in bytes: a multiple of 16 and at least 32. */
    uint32_t buffer_size;
};

/* ------------------------------------------------------------------------- */
/* Network                                                                   */
/* ------------------------------------------------------------------------- */

/* Versioned parameters of mvRequestNetwork; version must be 1. */
struct MvRequestNetworkParams {
    uint32_t version;
    union {
        struct {
            /* Centre that receives NETWORKSTATUSCHANGED for this request. */
            MvNotificationHandle notification_handle;
            uint32_t notification_tag;
        } v1;
    };
};

/* Connection state between the device and the Microvisor server. The vendor
   comments swap CONNECTED and CONNECTING; the names are right. */
enum MvNetworkStatus {
    /* Not connected to the server, deliberately. */
    MV_NETWORKSTATUS_DELIBERATELYOFFLINE = 0x0,
    /* Connected: the only state in which channels can be opened. */
    MV_NETWORKSTATUS_CONNECTED = 0x1,
    /* Trying to connect. */
    MV_NETWORKSTATUS_CONNECTING = 0x2,
    /* Not connected to the server, although the network link is up. */
    MV_NETWORKSTATUS_DISCONNECTEDWITHLINKUP = 0x3,
    MV_NETWORKSTATUS__MAX = 0xffffffff
};

/* Bit set of the reasons Microvisor is (or is not) connecting. Only ENHANCECALM
   prevents connection attempts while it is set. Bit 0x400 is unused. */
enum MvNetworkReason {
    /* No reason to connect and nothing preventing it. */
    MV_NETWORKREASON_NOTCONNECTING = 0x000,
    /* At least one app network request is held. */
    MV_NETWORKREASON_USINGNETWORK = 0x001,
    /* The app has never called the network API. */
    MV_NETWORKREASON_NEVERUSEDNETWORKAPI = 0x002,
    /* The periodic minimum check-in is due. */
    MV_NETWORKREASON_MINIMUMCHECKINEXPIRED = 0x004,
    /* The RTC still needs setting from the server. */
    MV_NETWORKREASON_RTCNOTSET = 0x008,
    /* The kernel has an error to report. */
    MV_NETWORKREASON_KERNELERROR = 0x010,
    /* The app has an error or crash to report. */
    MV_NETWORKREASON_APPLICATIONERROR = 0x020,
    /* A connection after cold boot, to check for updates. */
    MV_NETWORKREASON_COLDBOOTCONNECTION = 0x040,
    /* An update is downloading in the background. */
    MV_NETWORKREASON_FETCHINGUPDATE = 0x080,
    /* A remote debugging session is attached. */
    MV_NETWORKREASON_DEBUGGERATTACHED = 0x100,
    /* No application code is installed. */
    MV_NETWORKREASON_NOAPPLICATIONCODE = 0x200,
    /* Preventing: Microvisor is pausing its connection attempts. */
    MV_NETWORKREASON_ENHANCECALM = 0x800,
    MV_NETWORKREASON__MAX = 0xffffffff
};

/* ------------------------------------------------------------------------- */
/* Channels                                                                  */
/* ------------------------------------------------------------------------- */

/* Protocol a channel carries. */
enum MvChannelType {
    MV_CHANNELTYPE_OPAQUEBYTES = 0x0,
    MV_CHANNELTYPE_MQTT = 0x1,
    MV_CHANNELTYPE_HTTP = 0x2,
    /* Config and secret fetches. */
    MV_CHANNELTYPE_CONFIGFETCH = 0x3,
    MV_CHANNELTYPE__MAX = 0xffffffff
};

/* Versioned parameters of mvOpenChannel; version must be 1. Microvisor keeps
   both buffers for the channel's whole life. Current Microvisor apps align both
   to 512 bytes and size them in multiples of 512. */
struct MvOpenChannelParams {
    uint32_t version;
    union {
        struct {
            /* Centre that receives this channel's notifications. */
            MvNotificationHandle notification_handle;
            uint32_t notification_tag;
            /* Network request that carries the channel. */
            MvNetworkHandle network_handle;
            /* App memory that Microvisor receives into. */
            uint8_t *receive_buffer;
            uint32_t receive_buffer_len;
            /* App memory that Microvisor stages outgoing requests in. */
            uint8_t *send_buffer;
            uint32_t send_buffer_len;
            enum MvChannelType channel_type;
            /* Name used by cloud-side configuration; apps pass length 0. */
            struct MvSizedString endpoint;
        } v1;
    };
};

/* Reason a channel closed, as reported by mvGetChannelClosureReason. */
enum MvClosureReason {
    /* Not closed, or the cause is unknown. */
    MV_CLOSUREREASON_NONE = 0x0,
    MV_CLOSUREREASON_CHANNELCLOSEDBYSERVER = 0x1,
    MV_CLOSUREREASON_CHANNELRESETBYSERVER = 0x2,
    /* The network connection went down. */
    MV_CLOSUREREASON_NETWORKDISCONNECTED = 0x3,
    /* An error ended the connection to the server. */
    MV_CLOSUREREASON_CONNECTIONTERMINATED = 0x4,
    /* mvOpenChannel was never called for it, or failed. */
    MV_CLOSUREREASON_NOTYETOPEN = 0x5,
    /* The app called mvCloseChannel. */
    MV_CLOSUREREASON_CLOSEDBYAPPLICATION = 0x6,
    /* Terminated for an unidentified reason. */
    MV_CLOSUREREASON_UNEXPECTEDLYTERMINATED = 0x7,
    MV_CLOSUREREASON__MAX = 0xffffffff
};

/* ------------------------------------------------------------------------- */
/* HTTP                                                                      */
/* ------------------------------------------------------------------------- */

/* One request header line, such as "Accept: text/plain". Note that the length
   comes before the data here, unlike struct MvSizedString. */
struct MvHttpHeader {
    uint32_t length;
    const uint8_t *data;
};

/* An HTTP request sent with mvSendHttpRequest. */
struct MvHttpRequest {
    /* GET, HEAD, POST, PUT, DELETE, PATCH or OPTIONS. */
    struct MvSizedString method;
    /* Must start with "https://". */
    struct MvSizedString url;
    /* At most 32 headers. */
    uint32_t num_headers;
    const struct MvHttpHeader *headers;
    struct MvSizedString body;
    /* Between 5000 and 10000 milliseconds. */
    uint32_t timeout_ms;
};

/* Outcome of an HTTP request, as reported by the Microvisor server. */
enum MvHttpResult {
    MV_HTTPRESULT_OK = 0x0,
    MV_HTTPRESULT_UNSUPPORTEDURISCHEME = 0x1,
    MV_HTTPRESULT_UNSUPPORTEDMETHOD = 0x2,
    MV_HTTPRESULT_INVALIDHEADERS = 0x3,
    MV_HTTPRESULT_INVALIDTIMEOUT = 0x4,
    MV_HTTPRESULT_REQUESTFAILED = 0x5,
    /* The response does not fit in the channel's receive buffer. */
    MV_HTTPRESULT_RESPONSETOOLARGE = 0x6,
    MV_HTTPRESULT__MAX = 0xffffffff
};

/* Summary of an HTTP response, read with mvReadHttpResponseData. */
struct MvHttpResponseData {
    enum MvHttpResult result;
    /* HTTP status code returned by the remote server. */
    uint32_t status_code;
    uint32_t num_headers;
    /* Body length in bytes. */
    uint32_t body_length;
};

/* ------------------------------------------------------------------------- */
/* Config and secret fetch                                                   */
/* ------------------------------------------------------------------------- */

/* Visibility of an item: the whole account or one device. Note that ACCOUNT is
   0 here while SECRET is 0 in MvConfigKeyFetchStore. */
enum MvConfigKeyFetchScope {
    /* Shared by every device on the account. */
    MV_CONFIGKEYFETCHSCOPE_ACCOUNT = 0x0,
    /* Visible to this device only. */
    MV_CONFIGKEYFETCHSCOPE_DEVICE = 0x1,
    MV_CONFIGKEYFETCHSCOPE__MAX = 0xffffffff
};

/* Store that contains an item, which decides whether the REST API can read it
   back. */
enum MvConfigKeyFetchStore {
    /* Secrets: the REST API can write values but never returns them. */
    MV_CONFIGKEYFETCHSTORE_SECRET = 0x0,
    /* Configs: readable and writable through the REST API. */
    MV_CONFIGKEYFETCHSTORE_CONFIG = 0x1,
    MV_CONFIGKEYFETCHSTORE__MAX = 0xffffffff
};

/* One key to fetch. */
struct MvConfigKeyToFetch {
    enum MvConfigKeyFetchScope scope;
    /* Secret or config store. (The vendor comment describes scope here.) */
    enum MvConfigKeyFetchStore store;
    /* Key name in printable ASCII. */
    struct MvSizedString key;
};

/* A config fetch request of num_items keys. The response lists the items in the
   same order. */
struct MvConfigKeyFetchParams {
    uint32_t num_items;
    const struct MvConfigKeyToFetch *keys_to_fetch;
};

/* Outcome of a whole config fetch. */
enum MvConfigFetchResult {
    MV_CONFIGFETCHRESULT_OK = 0x0,
    /* The response did not fit in the channel's receive buffer. */
    MV_CONFIGFETCHRESULT_RESPONSETOOLARGE = 0x1,
    MV_CONFIGFETCHRESULT__MAX = 0xffffffff
};

/* Summary of a config fetch response. */
struct MvConfigResponseData {
    enum MvConfigFetchResult result;
    /* Number of items. Item i is the result for the request's key i. */
    uint32_t num_items;
};

/* Outcome for one key of a config fetch. */
enum MvConfigKeyFetchResult {
    MV_CONFIGKEYFETCHRESULT_OK = 0x0,
    MV_CONFIGKEYFETCHRESULT_KEYNOTFOUND = 0x1,
    MV_CONFIGKEYFETCHRESULT_SERVERERROR = 0x2,
    MV_CONFIGKEYFETCHRESULT__MAX = 0xffffffff
};

/* Output locations for one item read by mvReadConfigResponseItem. The struct is
   passed as const, but *result, buf.data and *buf.length are outputs. */
struct MvConfigResponseReadItemParams {
    /* 0-based index into the response. */
    uint32_t item_index;
    enum MvConfigKeyFetchResult *result;
    /* Receives the value's bytes, without a NUL terminator. */
    struct MvSizedStringBuffer buf;
};

/* ------------------------------------------------------------------------- */
/* MQTT                                                                      */
/* ------------------------------------------------------------------------- */

/* Kind of data a CHANNELDATAREADABLE event on an MQTT channel announces. */
enum MvMqttReadableDataType {
    MV_MQTTREADABLEDATATYPE_NONE = 0x0,
    MV_MQTTREADABLEDATATYPE_MESSAGERECEIVED = 0x1,
    MV_MQTTREADABLEDATATYPE_MESSAGELOST = 0x2,
    MV_MQTTREADABLEDATATYPE_CONNECTRESPONSE = 0x3,
    MV_MQTTREADABLEDATATYPE_SUBSCRIBERESPONSE = 0x4,
    MV_MQTTREADABLEDATATYPE_UNSUBSCRIBERESPONSE = 0x5,
    MV_MQTTREADABLEDATATYPE_PUBLISHRESPONSE = 0x6,
    MV_MQTTREADABLEDATATYPE_DISCONNECTRESPONSE = 0x7,
    MV_MQTTREADABLEDATATYPE__MAX = 0xffffffff
};

/* MQTT protocol version spoken with the broker. */
enum MvMqttProtocolVersion {
    MV_MQTTPROTOCOLVERSION_V3_1_1 = 0x0,
    MV_MQTTPROTOCOLVERSION_V5 = 0x1,
    MV_MQTTPROTOCOLVERSION__MAX = 0xffffffff
};

/* MQTT v5 authentication method. The marker is 0xff, so on the target this enum
   may be a single byte. */
enum MvMqttAuthenticationMethod {
    MV_MQTTAUTHENTICATIONMETHOD_NONE = 0x0,
    MV_MQTTAUTHENTICATIONMETHOD_USERNAMEPASSWORD = 0x1,
    MV_MQTTAUTHENTICATIONMETHOD__MAX = 0xff
};

struct MvUsernamePassword {
    struct MvSizedString username;
    struct MvSizedString password;
};

struct MvMqttAuthentication {
    enum MvMqttAuthenticationMethod method;
    struct MvUsernamePassword username_password;
};

/* A chain of DER certificates. */
struct MvTlsCertificateChain {
    uint32_t num_certs;
    const struct MvSizedString *certs;
};

/* The client's own certificate chain and its private key. */
struct MvOwnTlsCertificateChain {
    struct MvTlsCertificateChain chain;
    struct MvSizedString key;
};

struct MvTlsCredentials {
    /* Certificate authority chain that the broker's certificate must match. */
    struct MvTlsCertificateChain cacert;
    /* Client certificate for mutual TLS. */
    struct MvOwnTlsCertificateChain clientcert;
};

/* The MQTT Will message the broker publishes if the client disappears. */
struct MvMqttWill {
    struct MvSizedString topic;
    struct MvSizedString payload;
    uint32_t qos;
    /* Non-zero to make it the topic's retained message. */
    uint8_t retain;
};

/* Parameters of mvMqttRequestConnect. */
struct MvMqttConnectRequest {
    enum MvMqttProtocolVersion protocol_version;
    /* Broker host name or IP address. */
    struct MvSizedString host;
    uint16_t port;
    /* Client identifier, UTF-8. */
    struct MvSizedString clientid;
    struct MvMqttAuthentication authentication;
    const struct MvTlsCredentials *tls_credentials;
    /* Keep-alive interval in seconds. */
    uint32_t keepalive;
    /* Non-zero for a clean session. */
    uint8_t clean_start;
    /* Optional; NULL for none. */
    const struct MvMqttWill *will;
};

/* Outcome of an MQTT operation. */
enum MvMqttRequestState {
    MV_MQTTREQUESTSTATE_REQUESTCOMPLETED = 0x0,
    MV_MQTTREQUESTSTATE_INVALIDPARAMETERS = 0x1,
    /* A connect was already tried on this channel; open a new channel. */
    MV_MQTTREQUESTSTATE_ALREADYCONNECTED = 0x2,
    /* The connection was not open, or failed, when the request was made. */
    MV_MQTTREQUESTSTATE_NOTCONNECTED = 0x3,
    /* Connect only: the broker's host name did not resolve. */
    MV_MQTTREQUESTSTATE_NXDOMAIN = 0x4,
    /* Connect only: the certificate authority is unknown. */
    MV_MQTTREQUESTSTATE_UNKNOWNCA = 0x5,
    /* Connect only: a certificate has expired. */
    MV_MQTTREQUESTSTATE_CERTIFICATEEXPIRED = 0x6,
    /* Connect only: some other socket error. */
    MV_MQTTREQUESTSTATE_SOCKETERROR = 0x7,
    /* The server dropped the connection because incoming messages were
       rate-limited. */
    MV_MQTTREQUESTSTATE_CONNECTIONCIRCUITBREAKER = 0x8,
    MV_MQTTREQUESTSTATE__MAX = 0xffffffff
};

struct MvMqttConnectResponse {
    enum MvMqttRequestState request_state;
    /* MQTT reason code from the broker. */
    uint32_t reason_code;
};

/* One topic filter of a subscribe request. nl, rap and rh apply to MQTT v5
   only: no-local, retain-as-published and retain handling. */
struct MvMqttSubscription {
    struct MvSizedString topic;
    uint32_t desired_qos;
    uint32_t nl;
    uint32_t rap;
    uint32_t rh;
};

struct MvMqttSubscribeRequest {
    /* Echoed in the response, because responses may arrive in any order. */
    uint32_t correlation_id;
    const struct MvMqttSubscription *subscriptions;
    uint32_t num_subscriptions;
};

/* Output pointers for mvMqttReadSubscribeResponse. */
struct MvMqttSubscribeResponse {
    enum MvMqttRequestState *request_state;
    uint32_t *correlation_id;
    /* One reason code per subscription of the request. */
    uint32_t *reason_codes;
    /* Size of reason_codes in bytes. */
    uint32_t reason_codes_size;
    /* Receives the number of codes written. */
    uint32_t *reason_codes_len;
};

struct MvMqttUnsubscribeRequest {
    uint32_t correlation_id;
    const struct MvSizedString *topics;
    uint32_t num_topics;
};

/* Output pointers for mvMqttReadUnsubscribeResponse, as for subscribe. */
struct MvMqttUnsubscribeResponse {
    enum MvMqttRequestState *request_state;
    uint32_t *correlation_id;
    uint32_t *reason_codes;
    uint32_t reason_codes_size;
    uint32_t *reason_codes_len;
};

struct MvMqttPublishRequest {
    uint32_t correlation_id;
    struct MvSizedString topic;
    struct MvSizedString payload;
    uint32_t desired_qos;
    /* Non-zero to make it the topic's retained message. */
    uint32_t retain;
};

struct MvMqttPublishResponse {
    enum MvMqttRequestState request_state;
    uint32_t correlation_id;
    /* Broker reason code; always 0 with MQTT 3.1.1. */
    uint32_t reason_code;
};

/* Output pointers for mvMqttReceiveMessage. Acknowledge a message received
   with QoS above 0, or the broker delivers it again. */
struct MvMqttMessage {
    uint32_t *correlation_id;
    struct MvSizedStringBuffer topic;
    struct MvSizedStringBuffer payload;
    uint32_t *qos;
    uint8_t *retain;
};

/* Reason a message was lost. */
enum MvMqttLostMessageReason {
    /* The channel's receive buffer was too small for the message. */
    MV_MQTTLOSTMESSAGEREASON_DEVICERECEIVEBUFFERTOOSMALL = 0x0,
    MV_MQTTLOSTMESSAGEREASON__MAX = 0xffffffff
};

/* Output pointers for mvMqttReceiveLostMessageInfo. */
struct MvMqttLostMessageInfo {
    enum MvMqttLostMessageReason *reason;
    struct MvSizedStringBuffer topic;
    /* Length in bytes of the message that was lost. */
    uint32_t *message_len;
};

struct MvMqttDisconnectResponse {
    enum MvMqttRequestState request_state;
    /* Disconnect code sent by the broker. */
    uint32_t disconnect_code;
};

/* ------------------------------------------------------------------------- */
/* Power and system                                                          */
/* ------------------------------------------------------------------------- */

/* STM32U5 low-power mode for mvPowerSave. The marker is 0xff. */
enum MvPowerSavingMode {
    MV_POWERSAVINGMODE_SLEEP = 0x0,
    MV_POWERSAVINGMODE_STOP0 = 0x1,
    MV_POWERSAVINGMODE_STOP1 = 0x2,
    MV_POWERSAVINGMODE_STOP2 = 0x3,
    MV_POWERSAVINGMODE_STOP3 = 0x4,
    MV_POWERSAVINGMODE__MAX = 0xff
};

/* Source of system-wide notifications. */
enum MvSystemNotificationSource {
    /* Server connection changes (NETWORKSTATUSCHANGED). */
    MV_SYSTEMNOTIFICATIONSOURCE_NETWORK = 0x0,
    /* Application and kernel updates (UPDATEDOWNLOADED). */
    MV_SYSTEMNOTIFICATIONSOURCE_UPDATE = 0x1,
    MV_SYSTEMNOTIFICATIONSOURCE__MAX = 0xffffffff
};

/* Parameters of mvOpenSystemNotification. Not a versioned struct. */
struct MvOpenSystemNotificationParams {
    MvNotificationHandle notification_handle;
    uint32_t notification_tag;
    enum MvSystemNotificationSource notification_source;
};

/* STM32U5 deep-sleep mode for mvDeepSleep. The marker is 0xff. */
enum MvDeepSleepMode {
    MV_DEEPSLEEPMODE_STANDBY = 0x0,
    MV_DEEPSLEEPMODE_SHUTDOWN = 0x1,
    MV_DEEPSLEEPMODE__MAX = 0xff
};

/* Reason the app last started. The marker is 0xff. */
enum MvWakeReason {
    /* Cold boot, or wake from Shutdown mode. */
    MV_WAKEREASON_COLDBOOT = 0x00,
    MV_WAKEREASON_REMOTEMICROVISORRESTART = 0x01,
    MV_WAKEREASON_REMOTEAPPLICATIONRESTART = 0x02,
    MV_WAKEREASON_DEBUGGERRESTART = 0x03,
    MV_WAKEREASON_MICROVISORCRASH = 0x04,
    MV_WAKEREASON_MICROVISORWATCHDOG = 0x05,
    MV_WAKEREASON_MICROVISOROUTOFMEMORY = 0x06,
    MV_WAKEREASON_MICROVISORERROR = 0x07,
    MV_WAKEREASON_APPLICATIONCRASH = 0x08,
    MV_WAKEREASON_APPLICATIONUPDATE = 0x09,
    MV_WAKEREASON_MICROVISORUPDATE = 0x0A,
    MV_WAKEREASON_OPTIONBYTES = 0x0B,
    /* Deep sleep ended because a check-in with the server was due. */
    MV_WAKEREASON_DEEPSLEEPCHECKIN = 0x0C,
    /* Deep sleep ended by a wake-up source the app owns. */
    MV_WAKEREASON_DEEPSLEEPAPPLICATION = 0x0D,
    /* Deep sleep ended by the cellular modem's interrupt. */
    MV_WAKEREASON_DEEPSLEEPMODEM = 0x0E,
    /* Deep sleep ended by the app's RTC wake-up. */
    MV_WAKEREASON_DEEPSLEEPAPPLICATIONRTC = 0x0F,
    /* Deep sleep ended for an unidentified reason. */
    MV_WAKEREASON_DEEPSLEEPOTHER = 0x10,
    MV_WAKEREASON__MAX = 0xff
};

/* Kind of restart mvRestart performs. */
enum MvRestartMode {
    /* Restart the app or the whole device, whichever the pending updates need. */
    MV_RESTARTMODE_AUTOAPPLYUPDATE = 0x0,
    MV_RESTARTMODE__MAX = 0xffffffff
};

/* ------------------------------------------------------------------------- */
/* External flash                                                            */
/* ------------------------------------------------------------------------- */

/* Versioned output of mvExternalFlashGetInfo; the app sets version to 1. */
struct MvExternalFlashInfo {
    uint32_t version;
    union {
        struct {
            /* SPI flash chip identifier. */
            uint32_t chip_id;
            /* Bytes available to the app. */
            uint32_t size;
            /* Number of open external flash handles. */
            uint32_t num_handles;
        } v1;
    };
};

/* ------------------------------------------------------------------------- */
/* Wi-Fi                                                                     */
/* ------------------------------------------------------------------------- */

/* Mode in which mvSetWifiConfig applies a configuration. The marker is 0xff. */
enum MvWifiConfigMode {
    /* Replace the stored settings and use them for every reconnection. */
    MV_WIFICONFIGMODE_APPLYNOW = 0x0,
    /* Clear the stored settings at once and stop reconnecting. */
    MV_WIFICONFIGMODE_CLEARNOW = 0x1,
    MV_WIFICONFIGMODE__MAX = 0xff
};

/* Versioned input of mvSetWifiConfig; version must be 1. */
struct MvWifiConfig {
    uint32_t version;
    union {
        struct {
            enum MvWifiConfigMode config_mode;
            struct MvSizedString wifi_ssid;
            struct MvSizedString wifi_password;
        } v1;
    };
};

/* Versioned output of mvGetWifiConfig; the app sets version to 1. */
struct MvWifiConfigOut {
    uint32_t version;
    union {
        struct {
            /* Receives the SSID. */
            struct MvSizedStringBuffer ssid;
            /* Receives 1 when the network is encrypted, else 0. */
            uint8_t *has_encryption;
        } v1;
    };
};

#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------- */
/* Basic calls: no-op, clocks, device id, peripheral registers               */
/* ------------------------------------------------------------------------- */

/* Does nothing. */
enum MvStatus mvNoOp(void);

/* Reads the microsecond counter, which starts at 0 when Microvisor boots and
   only counts up. It is unrelated to wall time and may drift from it. The vendor
   names the parameter ms, but the unit is microseconds.
   Statuses: PARAMETERFAULT. */
enum MvStatus mvGetMicroseconds(uint64_t *ms);

/* Read the CPU clock (SYSCLK), the AHB bus clock, and the APB1 and APB2 bus clocks,
   in hertz. Statuses: PARAMETERFAULT. */
enum MvStatus mvGetSysClk(uint32_t *hz);
enum MvStatus mvGetHClk(uint32_t *hz);
enum MvStatus mvGetPClk1(uint32_t *hz);
enum MvStatus mvGetPClk2(uint32_t *hz);

/* Reads the wall-clock time in microseconds since the Unix epoch, not counting
   leap seconds. After a restart it fails until the server has sent the time,
   and a later server update may move it forwards or backwards.
   Statuses: PARAMETERFAULT, TIMENOTSET. */
enum MvStatus mvGetWallTime(uint64_t *usec);

/* Copies the 34-byte device SID ("UV" and 32 hex digits) into buf, without a NUL
   terminator. len must be 34.
   Statuses: PARAMETERFAULT, INVALIDBUFFERSIZE. */
enum MvStatus mvGetDeviceId(uint8_t *buf, uint32_t len);

/* Reads a 32-bit peripheral register at address reg.
   Statuses: PERIPHERALACCESSFAULT. */
enum MvStatus mvPeriphPeek32(uint32_t reg, uint32_t *output);

/* Updates a peripheral register to (old & ~mask) ^ xorvalue: bits where mask is
   1 are set to the bit of xorvalue, bits where mask is 0 are toggled by it.
   Bits the app may not change are left alone.
   Statuses: PERIPHERALACCESSFAULT. */
enum MvStatus mvPeriphPoke32(uint32_t reg, uint32_t mask, uint32_t xorvalue);

/* ------------------------------------------------------------------------- */
/* Notifications and fast interrupts                                         */
/* ------------------------------------------------------------------------- */

/* Creates a notification centre that writes records into the ring and pends
   the given IRQ for each one. The app configures the IRQ itself: clear its
   pending state, set its priority and enable it. The IRQ must be available to
   non-secure code, must not be a fast interrupt and must not belong to another
   centre. At most 32 centres may exist.
   Statuses: PARAMETERFAULT (ring not writable), INVALIDBUFFERSIZE (under 32
   bytes or not a multiple of 16), BUFFERALREADYINUSE, INVALIDINTERRUPT,
   TOOMANYNOTIFICATIONBUFFERS. */
enum MvStatus mvSetupNotifications(const struct MvNotificationSetup *notifications,
                                   MvNotificationHandle *handle_out);

/* Closes a notification centre and writes 0 through handle_in_out. Objects that
   still refer to the centre stay valid but get no more notifications. No IRQ is
   pended after the call returns, but a pending state already set stays set.
   Statuses: PARAMETERFAULT, INVALIDHANDLE. */
enum MvStatus mvCloseNotifications(MvNotificationHandle *handle_in_out);

/* Posts a notification of the given type and tag to a centre (a test hook).
   Statuses: INVALIDHANDLE. */
enum MvStatus mvTempTriggerNotification(MvNotificationHandle handle, enum MvEventType type,
                                        uint32_t tag);

/* Makes irqn a fast (low-latency) interrupt.
   Statuses: INVALIDINTERRUPT, INVALIDVECTOR (vector table or handler not in
   non-secure memory), UNAVAILABLE (fast interrupts were shut down after a hung
   interrupt or an interrupt flood). */
enum MvStatus mvSetFastInterrupt(uint32_t irqn);

/* Turns a fast interrupt back into a normal one.
   Statuses: INVALIDINTERRUPT, UNAVAILABLE. */
enum MvStatus mvClearFastInterrupt(uint32_t irqn);

/* Enable or disable one fast interrupt. Statuses: INVALIDINTERRUPT, UNAVAILABLE. */
enum MvStatus mvEnableFastInterrupt(uint32_t irqn);
enum MvStatus mvDisableFastInterrupt(uint32_t irqn);

/* Masks every fast interrupt, and lifts that mask again. Each interrupt keeps
   its own enabled state underneath. */
enum MvStatus mvDisableAllFastInterrupts(void);
enum MvStatus mvEnableAllFastInterrupts(void);

/* ------------------------------------------------------------------------- */
/* Network                                                                   */
/* ------------------------------------------------------------------------- */

/* Registers the app's request to be online and returns its handle at once; the
   connection comes up in the background. NETWORKSTATUSCHANGED goes to the
   centre in params when the status changes, but apps also poll
   mvGetNetworkStatus because no notification comes for a connection that
   already exists.
   Statuses: PARAMETERFAULT, UNSUPPORTEDSTRUCTUREVERSION. */
enum MvStatus mvRequestNetwork(const struct MvRequestNetworkParams *params,
                               MvNetworkHandle *handle);

/* Releases a network request and writes 0 through handle.
   Statuses: PARAMETERFAULT, INVALIDHANDLE (the vendor also lists
   UNSUPPORTEDSTRUCTUREVERSION, although no struct is passed). */
enum MvStatus mvReleaseNetwork(MvNetworkHandle *handle);

/* Reads the present connection state; no history is kept.
   Statuses: PARAMETERFAULT, INVALIDHANDLE. */
enum MvStatus mvGetNetworkStatus(MvNetworkHandle handle, enum MvNetworkStatus *status);

/* Reads the device-wide connectivity reasons and the number of network
   requests held. Statuses: PARAMETERFAULT. */
enum MvStatus mvGetNetworkReasons(enum MvNetworkReason *reasons, uint32_t *request_ref_count);

/* ------------------------------------------------------------------------- */
/* Channels                                                                  */
/* ------------------------------------------------------------------------- */

/* Opens a channel on a connected network.
   Statuses:
   - PARAMETERFAULT: params, a pointer inside it, or handle is invalid;
   - INVALIDHANDLE: the notification or network handle is invalid;
   - INVALIDBUFFERALIGNMENT: the send buffer is not aligned as required;
   - INVALIDBUFFERSIZE: either buffer has an invalid size;
   - UNKNOWNCHANNELENDPOINT, UNKNOWNCHANNELTYPE, NETWORKNOTCONNECTED, UNAVAILABLE;
   - RATELIMITED: more than 8 opens in quick succession, so wait a second;
   - TOOMANYCHANNELS: 4 channels are open already. */
enum MvStatus mvOpenChannel(const struct MvOpenChannelParams *params, MvChannelHandle *handle);

/* Returns a pointer to the received bytes in the receive buffer and their count.
   Statuses: PARAMETERFAULT, INVALIDHANDLE, CHANNELCLOSED. */
enum MvStatus mvReadChannel(MvChannelHandle handle, uint8_t **read_pointer_out,
                            uint32_t *length_out);

/* Releases the first consumed bytes returned by mvReadChannel.
   Statuses: INVALIDHANDLE, CHANNELCLOSED. */
enum MvStatus mvReadChannelComplete(MvChannelHandle handle, uint32_t consumed);

/* Writes as many of the len bytes as fit and stores that count in *written.
   Statuses: INVALIDHANDLE, PARAMETERFAULT, LATEFAULT (bytes were written but
   written is not writable), CHANNELCLOSED. */
enum MvStatus mvWriteChannelStream(MvChannelHandle handle, const uint8_t *data, uint32_t len,
                                   uint32_t *written);

/* Writes all len bytes or none of them, and stores the free space in *available.
   Pass len 0 to query the free space only.
   Statuses: INVALIDBUFFERSIZE (the bytes do not fit, so nothing was written),
   INVALIDHANDLE, PARAMETERFAULT, LATEFAULT, CHANNELCLOSED. */
enum MvStatus mvWriteChannel(MvChannelHandle handle, const uint8_t *data, uint32_t len,
                             uint32_t *available);

/* Closes a channel and writes 0 through handle.
   Statuses: PARAMETERFAULT, INVALIDHANDLE. Apps also accept CHANNELCLOSED for a
   channel the server already dropped. */
enum MvStatus mvCloseChannel(MvChannelHandle *handle);

/* Reads why a channel closed. Call it after CHANNELNOTCONNECTED and before
   mvCloseChannel, while the handle is still valid.
   Statuses: PARAMETERFAULT, INVALIDHANDLE. */
enum MvStatus mvGetChannelClosureReason(MvChannelHandle handle, enum MvClosureReason *reason_out);

/* ------------------------------------------------------------------------- */
/* HTTP                                                                      */
/* ------------------------------------------------------------------------- */

/* Sends the channel's one HTTP request; CHANNELDATAREADABLE follows when the
   response is in.
   Statuses: PARAMETERFAULT, LATEFAULT (a nested pointer is bad; close the
   channel), INVALIDHANDLE, INVALIDBUFFERSIZE (does not fit the send buffer),
   TOOMANYELEMENTS (over 32 headers), CHANNELCLOSED, REQUESTALREADYSENT. */
enum MvStatus mvSendHttpRequest(MvChannelHandle handle, const struct MvHttpRequest *request);

/* Reads the response summary.
   Statuses: PARAMETERFAULT, INVALIDHANDLE, RESPONSENOTPRESENT, CHANNELCLOSED. */
enum MvStatus mvReadHttpResponseData(MvChannelHandle handle,
                                     struct MvHttpResponseData *response_data);

/* Copies up to size bytes of one response header into buf. The length is not
   returned; headers are printable ASCII, so prefill buf with NULs and leave room
   for one.
   Statuses: PARAMETERFAULT, INVALIDHANDLE, RESPONSENOTPRESENT, CHANNELCLOSED,
   INDEXINVALID. */
enum MvStatus mvReadHttpResponseHeader(MvChannelHandle handle, uint32_t header_index, uint8_t *buf,
                                       uint32_t size);

/* Copies up to size bytes of the body, starting at offset, into buf. Read the
   body length with mvReadHttpResponseData and call this for successive offsets.
   Statuses: PARAMETERFAULT, INVALIDHANDLE, RESPONSENOTPRESENT, CHANNELCLOSED,
   OFFSETINVALID. */
enum MvStatus mvReadHttpResponseBody(MvChannelHandle handle, uint32_t offset, uint8_t *buf,
                                     uint32_t size);

/* ------------------------------------------------------------------------- */
/* Server logging                                                            */
/* ------------------------------------------------------------------------- */

/* Gives Microvisor a buffer to queue log messages in. Apps align it to 512 bytes.
   Statuses: PARAMETERFAULT, INVALIDBUFFERALIGNMENT, INVALIDBUFFERSIZE. */
enum MvStatus mvServerLoggingInit(uint8_t *buffer, uint32_t length_bytes);

/* Queues a log message for the server. Delivery and order are not guaranteed.
   Statuses: UNAVAILABLE (no mvServerLoggingInit yet), PARAMETERFAULT,
   INVALIDBUFFERSIZE (no room, or rate-limited), LOGMESSAGETOOLONG,
   LOGGINGDISABLEDBYSERVER. */
enum MvStatus mvServerLog(const uint8_t *message, uint16_t length_bytes);

/* ------------------------------------------------------------------------- */
/* Config and secret fetch                                                   */
/* ------------------------------------------------------------------------- */

/* Sends the channel's one config fetch request; CHANNELDATAREADABLE follows
   when the response is in the receive buffer, or CHANNELNOTCONNECTED if the
   channel drops first.
   Statuses: PARAMETERFAULT, LATEFAULT (a nested pointer is bad; close the
   channel), INVALIDHANDLE, INVALIDBUFFERSIZE (does not fit the send buffer),
   CHANNELCLOSED, REQUESTALREADYSENT. TOOMANYCONFIGKEYS, UNKNOWNCONFIGSTORE,
   UNKNOWNCONFIGSCOPE and INVALIDCONFIGKEY can only come from this call, although
   the vendor lists them for none. */
enum MvStatus mvSendConfigFetchRequest(MvChannelHandle handle,
                                       const struct MvConfigKeyFetchParams *request);

/* Reads the overall result and the item count of a config fetch response.
   Statuses: PARAMETERFAULT, CHANNELCLOSED. The vendor lists no others, but
   INVALIDHANDLE and RESPONSENOTPRESENT apply here as in the sibling calls. */
enum MvStatus mvReadConfigFetchResponseData(MvChannelHandle handle,
                                            struct MvConfigResponseData *response_data);

/* Reads one item: sets *params->result and, when it is OK, copies the value into
   params->buf and its length into *params->buf.length. OKAY is returned for
   KEYNOTFOUND and SERVERERROR items too.
   Statuses: PARAMETERFAULT, INVALIDHANDLE, RESPONSENOTPRESENT, CHANNELCLOSED,
   INDEXINVALID (item_index out of range). The vendor does not say what happens
   when the value is longer than buf.size. mvsim then returns INVALIDBUFFERSIZE
   and copies nothing, but still sets *result and writes the full length to
   *buf.length, so firmware can size its buffer and read again. */
enum MvStatus mvReadConfigResponseItem(MvChannelHandle handle,
                                       const struct MvConfigResponseReadItemParams *params);

/* ------------------------------------------------------------------------- */
/* MQTT                                                                      */
/* ------------------------------------------------------------------------- */

/* Tells what a CHANNELDATAREADABLE event on an MQTT channel was raised for.
   Statuses: PARAMETERFAULT, INVALIDHANDLE, CHANNELCLOSED. */
enum MvStatus mvMqttGetNextReadableDataType(MvChannelHandle handle,
                                            enum MvMqttReadableDataType *data_type);

/* Connects to the broker; one connect per channel.
   Statuses: PARAMETERFAULT, LATEFAULT, INVALIDHANDLE, CHANNELCLOSED,
   REQUESTALREADYSENT, INVALIDAUTHENTICATION (both a password and a client
   certificate given), TOOMANYELEMENTS (over 8 certificates in a chain),
   REQUIREDELEMENTMISSING (host, client id, client key, or Will topic or
   payload). */
enum MvStatus mvMqttRequestConnect(MvChannelHandle handle,
                                   const struct MvMqttConnectRequest *request);

/* Statuses: PARAMETERFAULT, LATEFAULT, INVALIDHANDLE, CHANNELCLOSED. */
enum MvStatus mvMqttReadConnectResponse(MvChannelHandle handle,
                                        struct MvMqttConnectResponse *response_data);

/* Subscribes to several topics in one request; one request runs at a time.
   Statuses: PARAMETERFAULT, LATEFAULT, INVALIDHANDLE, CHANNELCLOSED,
   RATELIMITED, TOOMANYELEMENTS (over 8 topics). */
enum MvStatus mvMqttRequestSubscribe(MvChannelHandle handle,
                                     const struct MvMqttSubscribeRequest *request);

/* Statuses: PARAMETERFAULT, LATEFAULT, INVALIDHANDLE, CHANNELCLOSED,
   INVALIDBUFFERSIZE (reason_codes too small). */
enum MvStatus mvMqttReadSubscribeResponse(MvChannelHandle handle,
                                          const struct MvMqttSubscribeResponse *response_data);

/* Unsubscribes from several topics in one request; one request runs at a time.
   Statuses: PARAMETERFAULT, LATEFAULT, INVALIDHANDLE, CHANNELCLOSED,
   RATELIMITED, TOOMANYELEMENTS (over 8 topics). */
enum MvStatus mvMqttRequestUnsubscribe(MvChannelHandle handle,
                                       const struct MvMqttUnsubscribeRequest *request);

/* Statuses: PARAMETERFAULT, LATEFAULT, INVALIDHANDLE, CHANNELCLOSED,
   INVALIDBUFFERSIZE (reason_codes too small). */
enum MvStatus mvMqttReadUnsubscribeResponse(MvChannelHandle handle,
                                            const struct MvMqttUnsubscribeResponse *response_data);

/* Statuses: PARAMETERFAULT, LATEFAULT, INVALIDHANDLE, CHANNELCLOSED, RATELIMITED. */
enum MvStatus mvMqttRequestPublish(MvChannelHandle handle,
                                   const struct MvMqttPublishRequest *request);

/* Statuses: PARAMETERFAULT, LATEFAULT, INVALIDHANDLE, CHANNELCLOSED. */
enum MvStatus mvMqttReadPublishResponse(MvChannelHandle handle,
                                        struct MvMqttPublishResponse *response_data);

/* Copies a received message into the buffers of message_data.
   Statuses: PARAMETERFAULT, LATEFAULT, INVALIDHANDLE, CHANNELCLOSED,
   INVALIDBUFFERSIZE (topic or payload does not fit). */
enum MvStatus mvMqttReceiveMessage(MvChannelHandle handle,
                                   const struct MvMqttMessage *message_data);

/* Statuses: PARAMETERFAULT, LATEFAULT, INVALIDHANDLE, CHANNELCLOSED,
   INVALIDBUFFERSIZE. */
enum MvStatus mvMqttReceiveLostMessageInfo(MvChannelHandle handle,
                                           const struct MvMqttLostMessageInfo *lost_message_info);

/* Acknowledges a message received with QoS 1 or 2.
   Statuses: INVALIDHANDLE, CHANNELCLOSED, RATELIMITED. */
enum MvStatus mvMqttAcknowledgeMessage(MvChannelHandle handle, uint32_t correlation_id);

/* Statuses: INVALIDHANDLE, CHANNELCLOSED, RATELIMITED. */
enum MvStatus mvMqttRequestDisconnect(MvChannelHandle handle);

/* Statuses: PARAMETERFAULT, LATEFAULT, INVALIDHANDLE, CHANNELCLOSED. */
enum MvStatus mvMqttReadDisconnectResponse(MvChannelHandle handle,
                                           struct MvMqttDisconnectResponse *response_data);

/* ------------------------------------------------------------------------- */
/* Application testing (factory)                                             */
/* ------------------------------------------------------------------------- */

/* Ends application testing; 0 means passed, any other value failed. In testing
   mode it does not return: on a pass the production app is installed from
   external flash, on a fail the test image runs again after the next reset.
   Statuses: UNAVAILABLE (not in application testing mode). */
enum MvStatus mvTestingComplete(uint32_t status);

/* Gives Microvisor a buffer for messages to the provisioning console.
   Statuses: PARAMETERFAULT, INVALIDBUFFERALIGNMENT, INVALIDBUFFERSIZE,
   UNAVAILABLE (not in application testing mode). */
enum MvStatus mvTestLoggingInit(uint8_t *buffer, uint32_t length_bytes);

/* Queues a message for the provisioning console.
   Statuses: UNAVAILABLE (no mvTestLoggingInit yet), PARAMETERFAULT,
   INVALIDBUFFERSIZE, LOGMESSAGETOOLONG. */
enum MvStatus mvTestLog(const uint8_t *message, uint16_t length_bytes);

/* ------------------------------------------------------------------------- */
/* Power and system                                                          */
/* ------------------------------------------------------------------------- */

/* The calls in this section and the next return UNAVAILABLE from an interrupt
   handler. */

/* Enters a low-power mode.
   Statuses: UNAVAILABLE, PARAMETERFAULT (unknown mode), MICROVISORBUSY (the
   network is still active). */
enum MvStatus mvPowerSave(enum MvPowerSavingMode mode);

/* Turns the system LED off (0) or on (1); other values are reserved.
   Statuses: UNAVAILABLE. */
enum MvStatus mvSystemLedEnable(uint32_t enable);

/* Subscribes a notification centre to system-wide events.
   Statuses: UNAVAILABLE, PARAMETERFAULT, INVALIDHANDLE (bad centre or source). */
enum MvStatus mvOpenSystemNotification(const struct MvOpenSystemNotificationParams *params,
                                       MvSystemEventHandle *handle);

/* Statuses: UNAVAILABLE, INVALIDHANDLE. */
enum MvStatus mvCloseSystemNotification(MvSystemEventHandle *handle);

/* Enters deep sleep.
   Statuses: UNAVAILABLE, PARAMETERFAULT (unknown mode), MICROVISORBUSY. */
enum MvStatus mvDeepSleep(enum MvDeepSleepMode mode);

/* Reads why the app last started. Statuses: UNAVAILABLE, PARAMETERFAULT. */
enum MvStatus mvGetWakeReason(enum MvWakeReason *mode);

/* Restarts the app or the device.
   Statuses: UNAVAILABLE, PARAMETERFAULT (unknown mode), MICROVISORBUSY. */
enum MvStatus mvRestart(enum MvRestartMode mode);

/* ------------------------------------------------------------------------- */
/* External flash                                                            */
/* ------------------------------------------------------------------------- */

/* Opens a handle on the external flash; at most 32 may be open.
   Statuses: UNAVAILABLE, PARAMETERFAULT, TOOMANYCHANNELS. */
enum MvStatus mvExternalFlashOpen(MvExternalFlashHandle *handle);

/* Statuses: UNAVAILABLE, INVALIDHANDLE. */
enum MvStatus mvExternalFlashClose(MvExternalFlashHandle *handle);

/* Reads length bytes at address into buffer.
   Statuses: UNAVAILABLE, PARAMETERFAULT, INVALIDHANDLE, ADDRESSOUTOFRANGE (see
   mvExternalFlashGetInfo for the size). */
enum MvStatus mvExternalFlashReadBlocking(MvExternalFlashHandle handle, uint32_t address,
                                          uint32_t length, uint8_t *buffer);

/* Erases length bytes at address; both must be multiples of 4096.
   Statuses: UNAVAILABLE, PARAMETERFAULT, INVALIDHANDLE, ADDRESSOUTOFRANGE,
   INVALIDBUFFERALIGNMENT. */
enum MvStatus mvExternalFlashEraseBlocking(MvExternalFlashHandle handle, uint32_t address,
                                           uint32_t length);

/* Writes length bytes from buffer at address.
   Statuses: UNAVAILABLE, PARAMETERFAULT, INVALIDHANDLE, ADDRESSOUTOFRANGE. */
enum MvStatus mvExternalFlashWriteBlocking(MvExternalFlashHandle handle, uint32_t address,
                                           uint32_t length, const uint8_t *buffer);

/* Reads the chip id, usable size and open handle count.
   Statuses: UNAVAILABLE, PARAMETERFAULT, INVALIDHANDLE,
   UNSUPPORTEDSTRUCTUREVERSION (info->version is not 1). */
enum MvStatus mvExternalFlashGetInfo(MvExternalFlashHandle handle,
                                     struct MvExternalFlashInfo *info);

/* ------------------------------------------------------------------------- */
/* Wi-Fi                                                                     */
/* ------------------------------------------------------------------------- */

/* Sets or clears the Wi-Fi configuration. The vendor documents no statuses. */
enum MvStatus mvSetWifiConfig(const struct MvWifiConfig *params);

/* Reads the current SSID and encryption flag into the buffers of params. The
   vendor documents no statuses. */
enum MvStatus mvGetWifiConfig(const struct MvWifiConfigOut *params);

#ifdef __cplusplus
}
#endif

#endif /* MV_API_H */
