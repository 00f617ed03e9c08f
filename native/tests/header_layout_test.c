/*
 * Compile-time checks that mv_syscalls.h matches the vendor header v0.7.0:
 * every enum value, the type and order of every struct member, the sizes and
 * offsets of the structs libmvhost marshals on LP64 and ILP32, and the
 * signature of every function.
 * Building this file is the test, and main only reports success.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mv_syscalls.h"

#define CHECK_VALUE(name, value) _Static_assert((name) == (value), #name " must be " #value)

/* Checks a member's type exactly, without evaluating anything. */
#define CHECK_TYPE(type, member, expected)                                          \
    _Static_assert(_Generic(((type *)0)->member, expected: 1, default: 0),          \
                   #type "." #member " must have type " #expected)

/* Checks that member a is laid out before member b, which proves their order. */
#define CHECK_ORDER(type, a, b) \
    _Static_assert(offsetof(type, a) < offsetof(type, b), #type "." #a " must come before " #b)

#define CHECK_OFFSET(type, member, value) \
    _Static_assert(offsetof(type, member) == (value), #type "." #member " must be at " #value)

/* Checks a function's exact type: enum MvStatus returned, parameters as listed. */
#define CHECK_SIGNATURE(function, parameters)                                         \
    _Static_assert(_Generic(&function, enum MvStatus(*) parameters: 1, default: 0),    \
                   #function " must have parameters " #parameters)

#define CHECK_SIZE(type, value) _Static_assert(sizeof(type) == (value), "sizeof " #type " must be " #value)

/* ---- enum widths: 4 bytes on the host for every enum ---- */
CHECK_SIZE(enum MvStatus, 4);
CHECK_SIZE(enum MvEventType, 4);
CHECK_SIZE(enum MvNetworkStatus, 4);
CHECK_SIZE(enum MvNetworkReason, 4);
CHECK_SIZE(enum MvChannelType, 4);
CHECK_SIZE(enum MvClosureReason, 4);
CHECK_SIZE(enum MvHttpResult, 4);
CHECK_SIZE(enum MvConfigKeyFetchScope, 4);
CHECK_SIZE(enum MvConfigKeyFetchStore, 4);
CHECK_SIZE(enum MvConfigFetchResult, 4);
CHECK_SIZE(enum MvConfigKeyFetchResult, 4);
CHECK_SIZE(enum MvMqttReadableDataType, 4);
CHECK_SIZE(enum MvMqttProtocolVersion, 4);
CHECK_SIZE(enum MvMqttRequestState, 4);
CHECK_SIZE(enum MvMqttLostMessageReason, 4);
CHECK_SIZE(enum MvSystemNotificationSource, 4);
CHECK_SIZE(enum MvRestartMode, 4);

/* ---- enum MvStatus ---- */
CHECK_VALUE(MV_STATUS_OKAY, 0x00);
CHECK_VALUE(MV_STATUS_TIMENOTSET, 0x01);
CHECK_VALUE(MV_STATUS_PARAMETERFAULT, 0x02);
CHECK_VALUE(MV_STATUS_INVALIDBUFFERSIZE, 0x03);
CHECK_VALUE(MV_STATUS_PERIPHERALACCESSFAULT, 0x04);
CHECK_VALUE(MV_STATUS_BUFFERALREADYINUSE, 0x05);
CHECK_VALUE(MV_STATUS_INVALIDINTERRUPT, 0x06);
CHECK_VALUE(MV_STATUS_INVALIDHANDLE, 0x07);
CHECK_VALUE(MV_STATUS_TOOMANYNOTIFICATIONBUFFERS, 0x08);
CHECK_VALUE(MV_STATUS_INVALIDVECTOR, 0x09);
CHECK_VALUE(MV_STATUS_UNAVAILABLE, 0x0A);
CHECK_VALUE(MV_STATUS_UNSUPPORTEDSTRUCTUREVERSION, 0x0B);
CHECK_VALUE(MV_STATUS_TOOMANYCHANNELS, 0x0C);
CHECK_VALUE(MV_STATUS_UNKNOWNCHANNELENDPOINT, 0x0D);
CHECK_VALUE(MV_STATUS_UNKNOWNCHANNELTYPE, 0x0E);
CHECK_VALUE(MV_STATUS_CHANNELCLOSED, 0x0F);
CHECK_VALUE(MV_STATUS_NETWORKNOTCONNECTED, 0x10);
CHECK_VALUE(MV_STATUS_RATELIMITED, 0x11);
CHECK_VALUE(MV_STATUS_INVALIDBUFFERALIGNMENT, 0x12);
CHECK_VALUE(MV_STATUS_LATEFAULT, 0x13);
CHECK_VALUE(MV_STATUS_RESPONSENOTPRESENT, 0x14);
CHECK_VALUE(MV_STATUS_INDEXINVALID, 0x15);
CHECK_VALUE(MV_STATUS_OFFSETINVALID, 0x16);
CHECK_VALUE(MV_STATUS_REQUESTALREADYSENT, 0x17);
CHECK_VALUE(MV_STATUS_REQUESTUNSUCCESSFUL, 0x18);
CHECK_VALUE(MV_STATUS_LOGMESSAGETOOLONG, 0x19);
CHECK_VALUE(MV_STATUS_LOGGINGDISABLEDBYSERVER, 0x1A);
CHECK_VALUE(MV_STATUS_TOOMANYCONFIGKEYS, 0x1B);
CHECK_VALUE(MV_STATUS_UNKNOWNCONFIGSTORE, 0x1C);
CHECK_VALUE(MV_STATUS_UNKNOWNCONFIGSCOPE, 0x1D);
CHECK_VALUE(MV_STATUS_INVALIDCONFIGKEY, 0x1E);
CHECK_VALUE(MV_STATUS_INVALIDAUTHENTICATION, 0x1F);
CHECK_VALUE(MV_STATUS_WRONGDATAREQUESTED, 0x20);
CHECK_VALUE(MV_STATUS_INTERNALERROR, 0x21);
CHECK_VALUE(MV_STATUS_TOOMANYELEMENTS, 0x22);
CHECK_VALUE(MV_STATUS_REQUIREDELEMENTMISSING, 0x23);
CHECK_VALUE(MV_STATUS_MICROVISORBUSY, 0x24);
CHECK_VALUE(MV_STATUS_ADDRESSOUTOFRANGE, 0x25);
CHECK_VALUE(MV_STATUS_INPUTTOOLONG, 0x26);
CHECK_VALUE(MV_STATUS__MAX, 0xffffffffu);

/* ---- notifications, network, channels ---- */
CHECK_VALUE(MV_EVENTTYPE_NOEVENT, 0);
CHECK_VALUE(MV_EVENTTYPE_NETWORKSTATUSCHANGED, 1);
CHECK_VALUE(MV_EVENTTYPE_CHANNELDATAREADABLE, 2);
CHECK_VALUE(MV_EVENTTYPE_CHANNELDATAWRITESPACE, 3);
CHECK_VALUE(MV_EVENTTYPE_CHANNELNOTCONNECTED, 4);
CHECK_VALUE(MV_EVENTTYPE_UPDATEDOWNLOADED, 5);
CHECK_VALUE(MV_EVENTTYPE__MAX, 0xffffffffu);

CHECK_VALUE(MV_NETWORKSTATUS_DELIBERATELYOFFLINE, 0);
CHECK_VALUE(MV_NETWORKSTATUS_CONNECTED, 1);
CHECK_VALUE(MV_NETWORKSTATUS_CONNECTING, 2);
CHECK_VALUE(MV_NETWORKSTATUS_DISCONNECTEDWITHLINKUP, 3);
CHECK_VALUE(MV_NETWORKSTATUS__MAX, 0xffffffffu);

CHECK_VALUE(MV_NETWORKREASON_NOTCONNECTING, 0x000);
CHECK_VALUE(MV_NETWORKREASON_USINGNETWORK, 0x001);
CHECK_VALUE(MV_NETWORKREASON_NEVERUSEDNETWORKAPI, 0x002);
CHECK_VALUE(MV_NETWORKREASON_MINIMUMCHECKINEXPIRED, 0x004);
CHECK_VALUE(MV_NETWORKREASON_RTCNOTSET, 0x008);
CHECK_VALUE(MV_NETWORKREASON_KERNELERROR, 0x010);
CHECK_VALUE(MV_NETWORKREASON_APPLICATIONERROR, 0x020);
CHECK_VALUE(MV_NETWORKREASON_COLDBOOTCONNECTION, 0x040);
CHECK_VALUE(MV_NETWORKREASON_FETCHINGUPDATE, 0x080);
CHECK_VALUE(MV_NETWORKREASON_DEBUGGERATTACHED, 0x100);
CHECK_VALUE(MV_NETWORKREASON_NOAPPLICATIONCODE, 0x200);
CHECK_VALUE(MV_NETWORKREASON_ENHANCECALM, 0x800);
CHECK_VALUE(MV_NETWORKREASON__MAX, 0xffffffffu);

CHECK_VALUE(MV_CHANNELTYPE_OPAQUEBYTES, 0);
CHECK_VALUE(MV_CHANNELTYPE_MQTT, 1);
CHECK_VALUE(MV_CHANNELTYPE_HTTP, 2);
CHECK_VALUE(MV_CHANNELTYPE_CONFIGFETCH, 3);
CHECK_VALUE(MV_CHANNELTYPE__MAX, 0xffffffffu);

CHECK_VALUE(MV_CLOSUREREASON_NONE, 0);
CHECK_VALUE(MV_CLOSUREREASON_CHANNELCLOSEDBYSERVER, 1);
CHECK_VALUE(MV_CLOSUREREASON_CHANNELRESETBYSERVER, 2);
CHECK_VALUE(MV_CLOSUREREASON_NETWORKDISCONNECTED, 3);
CHECK_VALUE(MV_CLOSUREREASON_CONNECTIONTERMINATED, 4);
CHECK_VALUE(MV_CLOSUREREASON_NOTYETOPEN, 5);
CHECK_VALUE(MV_CLOSUREREASON_CLOSEDBYAPPLICATION, 6);
CHECK_VALUE(MV_CLOSUREREASON_UNEXPECTEDLYTERMINATED, 7);
CHECK_VALUE(MV_CLOSUREREASON__MAX, 0xffffffffu);

/* ---- HTTP ---- */
CHECK_VALUE(MV_HTTPRESULT_OK, 0);
CHECK_VALUE(MV_HTTPRESULT_UNSUPPORTEDURISCHEME, 1);
CHECK_VALUE(MV_HTTPRESULT_UNSUPPORTEDMETHOD, 2);
CHECK_VALUE(MV_HTTPRESULT_INVALIDHEADERS, 3);
CHECK_VALUE(MV_HTTPRESULT_INVALIDTIMEOUT, 4);
CHECK_VALUE(MV_HTTPRESULT_REQUESTFAILED, 5);
CHECK_VALUE(MV_HTTPRESULT_RESPONSETOOLARGE, 6);
CHECK_VALUE(MV_HTTPRESULT__MAX, 0xffffffffu);

/* ---- config fetch ---- */
CHECK_VALUE(MV_CONFIGKEYFETCHSCOPE_ACCOUNT, 0);
CHECK_VALUE(MV_CONFIGKEYFETCHSCOPE_DEVICE, 1);
CHECK_VALUE(MV_CONFIGKEYFETCHSCOPE__MAX, 0xffffffffu);
CHECK_VALUE(MV_CONFIGKEYFETCHSTORE_SECRET, 0);
CHECK_VALUE(MV_CONFIGKEYFETCHSTORE_CONFIG, 1);
CHECK_VALUE(MV_CONFIGKEYFETCHSTORE__MAX, 0xffffffffu);
CHECK_VALUE(MV_CONFIGFETCHRESULT_OK, 0);
CHECK_VALUE(MV_CONFIGFETCHRESULT_RESPONSETOOLARGE, 1);
CHECK_VALUE(MV_CONFIGFETCHRESULT__MAX, 0xffffffffu);
CHECK_VALUE(MV_CONFIGKEYFETCHRESULT_OK, 0);
CHECK_VALUE(MV_CONFIGKEYFETCHRESULT_KEYNOTFOUND, 1);
CHECK_VALUE(MV_CONFIGKEYFETCHRESULT_SERVERERROR, 2);
CHECK_VALUE(MV_CONFIGKEYFETCHRESULT__MAX, 0xffffffffu);

/* ---- MQTT ---- */
CHECK_VALUE(MV_MQTTREADABLEDATATYPE_NONE, 0);
CHECK_VALUE(MV_MQTTREADABLEDATATYPE_MESSAGERECEIVED, 1);
CHECK_VALUE(MV_MQTTREADABLEDATATYPE_MESSAGELOST, 2);
CHECK_VALUE(MV_MQTTREADABLEDATATYPE_CONNECTRESPONSE, 3);
CHECK_VALUE(MV_MQTTREADABLEDATATYPE_SUBSCRIBERESPONSE, 4);
CHECK_VALUE(MV_MQTTREADABLEDATATYPE_UNSUBSCRIBERESPONSE, 5);
CHECK_VALUE(MV_MQTTREADABLEDATATYPE_PUBLISHRESPONSE, 6);
CHECK_VALUE(MV_MQTTREADABLEDATATYPE_DISCONNECTRESPONSE, 7);
CHECK_VALUE(MV_MQTTREADABLEDATATYPE__MAX, 0xffffffffu);
CHECK_VALUE(MV_MQTTPROTOCOLVERSION_V3_1_1, 0);
CHECK_VALUE(MV_MQTTPROTOCOLVERSION_V5, 1);
CHECK_VALUE(MV_MQTTPROTOCOLVERSION__MAX, 0xffffffffu);
CHECK_VALUE(MV_MQTTAUTHENTICATIONMETHOD_NONE, 0);
CHECK_VALUE(MV_MQTTAUTHENTICATIONMETHOD_USERNAMEPASSWORD, 1);
CHECK_VALUE(MV_MQTTAUTHENTICATIONMETHOD__MAX, 0xff);
CHECK_VALUE(MV_MQTTREQUESTSTATE_REQUESTCOMPLETED, 0);
CHECK_VALUE(MV_MQTTREQUESTSTATE_INVALIDPARAMETERS, 1);
CHECK_VALUE(MV_MQTTREQUESTSTATE_ALREADYCONNECTED, 2);
CHECK_VALUE(MV_MQTTREQUESTSTATE_NOTCONNECTED, 3);
CHECK_VALUE(MV_MQTTREQUESTSTATE_NXDOMAIN, 4);
CHECK_VALUE(MV_MQTTREQUESTSTATE_UNKNOWNCA, 5);
CHECK_VALUE(MV_MQTTREQUESTSTATE_CERTIFICATEEXPIRED, 6);
CHECK_VALUE(MV_MQTTREQUESTSTATE_SOCKETERROR, 7);
CHECK_VALUE(MV_MQTTREQUESTSTATE_CONNECTIONCIRCUITBREAKER, 8);
CHECK_VALUE(MV_MQTTREQUESTSTATE__MAX, 0xffffffffu);
CHECK_VALUE(MV_MQTTLOSTMESSAGEREASON_DEVICERECEIVEBUFFERTOOSMALL, 0);
CHECK_VALUE(MV_MQTTLOSTMESSAGEREASON__MAX, 0xffffffffu);

/* ---- power, system, Wi-Fi ---- */
CHECK_VALUE(MV_POWERSAVINGMODE_SLEEP, 0);
CHECK_VALUE(MV_POWERSAVINGMODE_STOP0, 1);
CHECK_VALUE(MV_POWERSAVINGMODE_STOP1, 2);
CHECK_VALUE(MV_POWERSAVINGMODE_STOP2, 3);
CHECK_VALUE(MV_POWERSAVINGMODE_STOP3, 4);
CHECK_VALUE(MV_POWERSAVINGMODE__MAX, 0xff);
CHECK_VALUE(MV_SYSTEMNOTIFICATIONSOURCE_NETWORK, 0);
CHECK_VALUE(MV_SYSTEMNOTIFICATIONSOURCE_UPDATE, 1);
CHECK_VALUE(MV_SYSTEMNOTIFICATIONSOURCE__MAX, 0xffffffffu);
CHECK_VALUE(MV_DEEPSLEEPMODE_STANDBY, 0);
CHECK_VALUE(MV_DEEPSLEEPMODE_SHUTDOWN, 1);
CHECK_VALUE(MV_DEEPSLEEPMODE__MAX, 0xff);
CHECK_VALUE(MV_WAKEREASON_COLDBOOT, 0x00);
CHECK_VALUE(MV_WAKEREASON_REMOTEMICROVISORRESTART, 0x01);
CHECK_VALUE(MV_WAKEREASON_REMOTEAPPLICATIONRESTART, 0x02);
CHECK_VALUE(MV_WAKEREASON_DEBUGGERRESTART, 0x03);
CHECK_VALUE(MV_WAKEREASON_MICROVISORCRASH, 0x04);
CHECK_VALUE(MV_WAKEREASON_MICROVISORWATCHDOG, 0x05);
CHECK_VALUE(MV_WAKEREASON_MICROVISOROUTOFMEMORY, 0x06);
CHECK_VALUE(MV_WAKEREASON_MICROVISORERROR, 0x07);
CHECK_VALUE(MV_WAKEREASON_APPLICATIONCRASH, 0x08);
CHECK_VALUE(MV_WAKEREASON_APPLICATIONUPDATE, 0x09);
CHECK_VALUE(MV_WAKEREASON_MICROVISORUPDATE, 0x0A);
CHECK_VALUE(MV_WAKEREASON_OPTIONBYTES, 0x0B);
CHECK_VALUE(MV_WAKEREASON_DEEPSLEEPCHECKIN, 0x0C);
CHECK_VALUE(MV_WAKEREASON_DEEPSLEEPAPPLICATION, 0x0D);
CHECK_VALUE(MV_WAKEREASON_DEEPSLEEPMODEM, 0x0E);
CHECK_VALUE(MV_WAKEREASON_DEEPSLEEPAPPLICATIONRTC, 0x0F);
CHECK_VALUE(MV_WAKEREASON_DEEPSLEEPOTHER, 0x10);
CHECK_VALUE(MV_WAKEREASON__MAX, 0xff);
CHECK_VALUE(MV_RESTARTMODE_AUTOAPPLYUPDATE, 0);
CHECK_VALUE(MV_RESTARTMODE__MAX, 0xffffffffu);
CHECK_VALUE(MV_WIFICONFIGMODE_APPLYNOW, 0);
CHECK_VALUE(MV_WIFICONFIGMODE_CLEARNOW, 1);
CHECK_VALUE(MV_WIFICONFIGMODE__MAX, 0xff);

/* ---- member types and order: the structs libmvhost marshals ---- */
CHECK_TYPE(struct MvNotification, microseconds, uint64_t);
CHECK_TYPE(struct MvNotification, event_type, enum MvEventType);
CHECK_TYPE(struct MvNotification, tag, uint32_t);
CHECK_ORDER(struct MvNotification, microseconds, event_type);
CHECK_ORDER(struct MvNotification, event_type, tag);
_Static_assert(_Alignof(struct MvNotification) == 8, "MvNotification must be 8-byte aligned");

CHECK_TYPE(struct MvNotificationSetup, irq, uint32_t);
CHECK_TYPE(struct MvNotificationSetup, buffer, struct MvNotification *);
CHECK_TYPE(struct MvNotificationSetup, buffer_size, uint32_t);
CHECK_ORDER(struct MvNotificationSetup, irq, buffer);
CHECK_ORDER(struct MvNotificationSetup, buffer, buffer_size);

CHECK_TYPE(struct MvRequestNetworkParams, version, uint32_t);
CHECK_TYPE(struct MvRequestNetworkParams, v1.notification_handle, MvNotificationHandle);
CHECK_TYPE(struct MvRequestNetworkParams, v1.notification_tag, uint32_t);
CHECK_ORDER(struct MvRequestNetworkParams, version, v1.notification_handle);
CHECK_ORDER(struct MvRequestNetworkParams, v1.notification_handle, v1.notification_tag);

CHECK_TYPE(struct MvSizedString, data, const uint8_t *);
CHECK_TYPE(struct MvSizedString, length, uint32_t);
CHECK_ORDER(struct MvSizedString, data, length);

CHECK_TYPE(struct MvOpenChannelParams, version, uint32_t);
CHECK_TYPE(struct MvOpenChannelParams, v1.notification_handle, MvNotificationHandle);
CHECK_TYPE(struct MvOpenChannelParams, v1.notification_tag, uint32_t);
CHECK_TYPE(struct MvOpenChannelParams, v1.network_handle, MvNetworkHandle);
CHECK_TYPE(struct MvOpenChannelParams, v1.receive_buffer, uint8_t *);
CHECK_TYPE(struct MvOpenChannelParams, v1.receive_buffer_len, uint32_t);
CHECK_TYPE(struct MvOpenChannelParams, v1.send_buffer, uint8_t *);
CHECK_TYPE(struct MvOpenChannelParams, v1.send_buffer_len, uint32_t);
CHECK_TYPE(struct MvOpenChannelParams, v1.channel_type, enum MvChannelType);
CHECK_TYPE(struct MvOpenChannelParams, v1.endpoint, struct MvSizedString);
CHECK_ORDER(struct MvOpenChannelParams, version, v1.notification_handle);
CHECK_ORDER(struct MvOpenChannelParams, v1.notification_handle, v1.notification_tag);
CHECK_ORDER(struct MvOpenChannelParams, v1.notification_tag, v1.network_handle);
CHECK_ORDER(struct MvOpenChannelParams, v1.network_handle, v1.receive_buffer);
CHECK_ORDER(struct MvOpenChannelParams, v1.receive_buffer, v1.receive_buffer_len);
CHECK_ORDER(struct MvOpenChannelParams, v1.receive_buffer_len, v1.send_buffer);
CHECK_ORDER(struct MvOpenChannelParams, v1.send_buffer, v1.send_buffer_len);
CHECK_ORDER(struct MvOpenChannelParams, v1.send_buffer_len, v1.channel_type);
CHECK_ORDER(struct MvOpenChannelParams, v1.channel_type, v1.endpoint);

CHECK_TYPE(struct MvConfigKeyToFetch, scope, enum MvConfigKeyFetchScope);
CHECK_TYPE(struct MvConfigKeyToFetch, store, enum MvConfigKeyFetchStore);
CHECK_TYPE(struct MvConfigKeyToFetch, key, struct MvSizedString);
CHECK_ORDER(struct MvConfigKeyToFetch, scope, store);
CHECK_ORDER(struct MvConfigKeyToFetch, store, key);

CHECK_TYPE(struct MvConfigKeyFetchParams, num_items, uint32_t);
CHECK_TYPE(struct MvConfigKeyFetchParams, keys_to_fetch, const struct MvConfigKeyToFetch *);
CHECK_ORDER(struct MvConfigKeyFetchParams, num_items, keys_to_fetch);

CHECK_TYPE(struct MvConfigResponseData, result, enum MvConfigFetchResult);
CHECK_TYPE(struct MvConfigResponseData, num_items, uint32_t);
CHECK_ORDER(struct MvConfigResponseData, result, num_items);

CHECK_TYPE(struct MvSizedStringBuffer, data, uint8_t *);
CHECK_TYPE(struct MvSizedStringBuffer, size, uint32_t);
CHECK_TYPE(struct MvSizedStringBuffer, length, uint32_t *);
CHECK_ORDER(struct MvSizedStringBuffer, data, size);
CHECK_ORDER(struct MvSizedStringBuffer, size, length);

CHECK_TYPE(struct MvConfigResponseReadItemParams, item_index, uint32_t);
CHECK_TYPE(struct MvConfigResponseReadItemParams, result, enum MvConfigKeyFetchResult *);
CHECK_TYPE(struct MvConfigResponseReadItemParams, buf, struct MvSizedStringBuffer);
CHECK_ORDER(struct MvConfigResponseReadItemParams, item_index, result);
CHECK_ORDER(struct MvConfigResponseReadItemParams, result, buf);

/* ---- sizes and offsets per ABI, as gcc lays out the vendor header ---- */
CHECK_SIZE(struct MvNotification, 16);
CHECK_OFFSET(struct MvNotification, event_type, 8);
CHECK_OFFSET(struct MvNotification, tag, 12);
CHECK_SIZE(struct MvConfigResponseData, 8);
CHECK_OFFSET(struct MvConfigResponseData, num_items, 4);
CHECK_OFFSET(struct MvConfigKeyToFetch, store, 4);
CHECK_OFFSET(struct MvConfigKeyToFetch, key, 8);

#if UINTPTR_MAX == UINT64_MAX /* LP64 host */
CHECK_SIZE(struct MvNotificationSetup, 24);
CHECK_OFFSET(struct MvNotificationSetup, buffer, 8);
CHECK_OFFSET(struct MvNotificationSetup, buffer_size, 16);
CHECK_SIZE(struct MvRequestNetworkParams, 24);
CHECK_OFFSET(struct MvRequestNetworkParams, v1.notification_handle, 8);
CHECK_OFFSET(struct MvRequestNetworkParams, v1.notification_tag, 16);
CHECK_SIZE(struct MvSizedString, 16);
CHECK_OFFSET(struct MvSizedString, length, 8);
CHECK_SIZE(struct MvOpenChannelParams, 80);
CHECK_OFFSET(struct MvOpenChannelParams, v1.notification_handle, 8);
CHECK_OFFSET(struct MvOpenChannelParams, v1.notification_tag, 16);
CHECK_OFFSET(struct MvOpenChannelParams, v1.network_handle, 24);
CHECK_OFFSET(struct MvOpenChannelParams, v1.receive_buffer, 32);
CHECK_OFFSET(struct MvOpenChannelParams, v1.receive_buffer_len, 40);
CHECK_OFFSET(struct MvOpenChannelParams, v1.send_buffer, 48);
CHECK_OFFSET(struct MvOpenChannelParams, v1.send_buffer_len, 56);
CHECK_OFFSET(struct MvOpenChannelParams, v1.channel_type, 60);
CHECK_OFFSET(struct MvOpenChannelParams, v1.endpoint, 64);
CHECK_SIZE(struct MvConfigKeyToFetch, 24);
CHECK_SIZE(struct MvConfigKeyFetchParams, 16);
CHECK_OFFSET(struct MvConfigKeyFetchParams, keys_to_fetch, 8);
CHECK_SIZE(struct MvSizedStringBuffer, 24);
CHECK_OFFSET(struct MvSizedStringBuffer, size, 8);
CHECK_OFFSET(struct MvSizedStringBuffer, length, 16);
CHECK_SIZE(struct MvConfigResponseReadItemParams, 40);
CHECK_OFFSET(struct MvConfigResponseReadItemParams, result, 8);
CHECK_OFFSET(struct MvConfigResponseReadItemParams, buf, 16);
#elif UINTPTR_MAX == UINT32_MAX /* ILP32, as on the target */
CHECK_SIZE(struct MvNotificationSetup, 12);
CHECK_OFFSET(struct MvNotificationSetup, buffer, 4);
CHECK_OFFSET(struct MvNotificationSetup, buffer_size, 8);
CHECK_SIZE(struct MvRequestNetworkParams, 12);
CHECK_OFFSET(struct MvRequestNetworkParams, v1.notification_tag, 8);
CHECK_SIZE(struct MvSizedString, 8);
CHECK_SIZE(struct MvOpenChannelParams, 44);
CHECK_OFFSET(struct MvOpenChannelParams, v1.network_handle, 12);
CHECK_OFFSET(struct MvOpenChannelParams, v1.receive_buffer, 16);
CHECK_OFFSET(struct MvOpenChannelParams, v1.send_buffer, 24);
CHECK_OFFSET(struct MvOpenChannelParams, v1.channel_type, 32);
CHECK_OFFSET(struct MvOpenChannelParams, v1.endpoint, 36);
CHECK_SIZE(struct MvConfigKeyToFetch, 16);
CHECK_SIZE(struct MvConfigKeyFetchParams, 8);
CHECK_SIZE(struct MvSizedStringBuffer, 12);
CHECK_SIZE(struct MvConfigResponseReadItemParams, 20);
CHECK_OFFSET(struct MvConfigResponseReadItemParams, buf, 8);
#else
#error "header_layout_test knows the layouts of LP64 and ILP32 only"
#endif

/* ---- member types and order: the other structs ---- */
CHECK_TYPE(struct MvHttpHeader, length, uint32_t);
CHECK_TYPE(struct MvHttpHeader, data, const uint8_t *);
CHECK_ORDER(struct MvHttpHeader, length, data);

CHECK_TYPE(struct MvHttpRequest, method, struct MvSizedString);
CHECK_TYPE(struct MvHttpRequest, url, struct MvSizedString);
CHECK_TYPE(struct MvHttpRequest, num_headers, uint32_t);
CHECK_TYPE(struct MvHttpRequest, headers, const struct MvHttpHeader *);
CHECK_TYPE(struct MvHttpRequest, body, struct MvSizedString);
CHECK_TYPE(struct MvHttpRequest, timeout_ms, uint32_t);
CHECK_ORDER(struct MvHttpRequest, method, url);
CHECK_ORDER(struct MvHttpRequest, url, num_headers);
CHECK_ORDER(struct MvHttpRequest, num_headers, headers);
CHECK_ORDER(struct MvHttpRequest, headers, body);
CHECK_ORDER(struct MvHttpRequest, body, timeout_ms);

CHECK_TYPE(struct MvHttpResponseData, result, enum MvHttpResult);
CHECK_TYPE(struct MvHttpResponseData, status_code, uint32_t);
CHECK_TYPE(struct MvHttpResponseData, num_headers, uint32_t);
CHECK_TYPE(struct MvHttpResponseData, body_length, uint32_t);
CHECK_ORDER(struct MvHttpResponseData, result, status_code);
CHECK_ORDER(struct MvHttpResponseData, status_code, num_headers);
CHECK_ORDER(struct MvHttpResponseData, num_headers, body_length);

CHECK_TYPE(struct MvUsernamePassword, username, struct MvSizedString);
CHECK_TYPE(struct MvUsernamePassword, password, struct MvSizedString);
CHECK_ORDER(struct MvUsernamePassword, username, password);

CHECK_TYPE(struct MvMqttAuthentication, method, enum MvMqttAuthenticationMethod);
CHECK_TYPE(struct MvMqttAuthentication, username_password, struct MvUsernamePassword);
CHECK_ORDER(struct MvMqttAuthentication, method, username_password);

CHECK_TYPE(struct MvTlsCertificateChain, num_certs, uint32_t);
CHECK_TYPE(struct MvTlsCertificateChain, certs, const struct MvSizedString *);
CHECK_ORDER(struct MvTlsCertificateChain, num_certs, certs);

CHECK_TYPE(struct MvOwnTlsCertificateChain, chain, struct MvTlsCertificateChain);
CHECK_TYPE(struct MvOwnTlsCertificateChain, key, struct MvSizedString);
CHECK_ORDER(struct MvOwnTlsCertificateChain, chain, key);

CHECK_TYPE(struct MvTlsCredentials, cacert, struct MvTlsCertificateChain);
CHECK_TYPE(struct MvTlsCredentials, clientcert, struct MvOwnTlsCertificateChain);
CHECK_ORDER(struct MvTlsCredentials, cacert, clientcert);

CHECK_TYPE(struct MvMqttWill, topic, struct MvSizedString);
CHECK_TYPE(struct MvMqttWill, payload, struct MvSizedString);
CHECK_TYPE(struct MvMqttWill, qos, uint32_t);
CHECK_TYPE(struct MvMqttWill, retain, uint8_t);
CHECK_ORDER(struct MvMqttWill, topic, payload);
CHECK_ORDER(struct MvMqttWill, payload, qos);
CHECK_ORDER(struct MvMqttWill, qos, retain);

CHECK_TYPE(struct MvMqttConnectRequest, protocol_version, enum MvMqttProtocolVersion);
CHECK_TYPE(struct MvMqttConnectRequest, host, struct MvSizedString);
CHECK_TYPE(struct MvMqttConnectRequest, port, uint16_t);
CHECK_TYPE(struct MvMqttConnectRequest, clientid, struct MvSizedString);
CHECK_TYPE(struct MvMqttConnectRequest, authentication, struct MvMqttAuthentication);
CHECK_TYPE(struct MvMqttConnectRequest, tls_credentials, const struct MvTlsCredentials *);
CHECK_TYPE(struct MvMqttConnectRequest, keepalive, uint32_t);
CHECK_TYPE(struct MvMqttConnectRequest, clean_start, uint8_t);
CHECK_TYPE(struct MvMqttConnectRequest, will, const struct MvMqttWill *);
CHECK_ORDER(struct MvMqttConnectRequest, protocol_version, host);
CHECK_ORDER(struct MvMqttConnectRequest, host, port);
CHECK_ORDER(struct MvMqttConnectRequest, port, clientid);
CHECK_ORDER(struct MvMqttConnectRequest, clientid, authentication);
CHECK_ORDER(struct MvMqttConnectRequest, authentication, tls_credentials);
CHECK_ORDER(struct MvMqttConnectRequest, tls_credentials, keepalive);
CHECK_ORDER(struct MvMqttConnectRequest, keepalive, clean_start);
CHECK_ORDER(struct MvMqttConnectRequest, clean_start, will);

CHECK_TYPE(struct MvMqttConnectResponse, request_state, enum MvMqttRequestState);
CHECK_TYPE(struct MvMqttConnectResponse, reason_code, uint32_t);
CHECK_ORDER(struct MvMqttConnectResponse, request_state, reason_code);

CHECK_TYPE(struct MvMqttSubscription, topic, struct MvSizedString);
CHECK_TYPE(struct MvMqttSubscription, desired_qos, uint32_t);
CHECK_TYPE(struct MvMqttSubscription, nl, uint32_t);
CHECK_TYPE(struct MvMqttSubscription, rap, uint32_t);
CHECK_TYPE(struct MvMqttSubscription, rh, uint32_t);
CHECK_ORDER(struct MvMqttSubscription, topic, desired_qos);
CHECK_ORDER(struct MvMqttSubscription, desired_qos, nl);
CHECK_ORDER(struct MvMqttSubscription, nl, rap);
CHECK_ORDER(struct MvMqttSubscription, rap, rh);

CHECK_TYPE(struct MvMqttSubscribeRequest, correlation_id, uint32_t);
CHECK_TYPE(struct MvMqttSubscribeRequest, subscriptions, const struct MvMqttSubscription *);
CHECK_TYPE(struct MvMqttSubscribeRequest, num_subscriptions, uint32_t);
CHECK_ORDER(struct MvMqttSubscribeRequest, correlation_id, subscriptions);
CHECK_ORDER(struct MvMqttSubscribeRequest, subscriptions, num_subscriptions);

CHECK_TYPE(struct MvMqttSubscribeResponse, request_state, enum MvMqttRequestState *);
CHECK_TYPE(struct MvMqttSubscribeResponse, correlation_id, uint32_t *);
CHECK_TYPE(struct MvMqttSubscribeResponse, reason_codes, uint32_t *);
CHECK_TYPE(struct MvMqttSubscribeResponse, reason_codes_size, uint32_t);
CHECK_TYPE(struct MvMqttSubscribeResponse, reason_codes_len, uint32_t *);
CHECK_ORDER(struct MvMqttSubscribeResponse, request_state, correlation_id);
CHECK_ORDER(struct MvMqttSubscribeResponse, correlation_id, reason_codes);
CHECK_ORDER(struct MvMqttSubscribeResponse, reason_codes, reason_codes_size);
CHECK_ORDER(struct MvMqttSubscribeResponse, reason_codes_size, reason_codes_len);

CHECK_TYPE(struct MvMqttUnsubscribeRequest, correlation_id, uint32_t);
CHECK_TYPE(struct MvMqttUnsubscribeRequest, topics, const struct MvSizedString *);
CHECK_TYPE(struct MvMqttUnsubscribeRequest, num_topics, uint32_t);
CHECK_ORDER(struct MvMqttUnsubscribeRequest, correlation_id, topics);
CHECK_ORDER(struct MvMqttUnsubscribeRequest, topics, num_topics);

CHECK_TYPE(struct MvMqttUnsubscribeResponse, request_state, enum MvMqttRequestState *);
CHECK_TYPE(struct MvMqttUnsubscribeResponse, correlation_id, uint32_t *);
CHECK_TYPE(struct MvMqttUnsubscribeResponse, reason_codes, uint32_t *);
CHECK_TYPE(struct MvMqttUnsubscribeResponse, reason_codes_size, uint32_t);
CHECK_TYPE(struct MvMqttUnsubscribeResponse, reason_codes_len, uint32_t *);
CHECK_ORDER(struct MvMqttUnsubscribeResponse, request_state, correlation_id);
CHECK_ORDER(struct MvMqttUnsubscribeResponse, correlation_id, reason_codes);
CHECK_ORDER(struct MvMqttUnsubscribeResponse, reason_codes, reason_codes_size);
CHECK_ORDER(struct MvMqttUnsubscribeResponse, reason_codes_size, reason_codes_len);

CHECK_TYPE(struct MvMqttPublishRequest, correlation_id, uint32_t);
CHECK_TYPE(struct MvMqttPublishRequest, topic, struct MvSizedString);
CHECK_TYPE(struct MvMqttPublishRequest, payload, struct MvSizedString);
CHECK_TYPE(struct MvMqttPublishRequest, desired_qos, uint32_t);
CHECK_TYPE(struct MvMqttPublishRequest, retain, uint32_t);
CHECK_ORDER(struct MvMqttPublishRequest, correlation_id, topic);
CHECK_ORDER(struct MvMqttPublishRequest, topic, payload);
CHECK_ORDER(struct MvMqttPublishRequest, payload, desired_qos);
CHECK_ORDER(struct MvMqttPublishRequest, desired_qos, retain);

CHECK_TYPE(struct MvMqttPublishResponse, request_state, enum MvMqttRequestState);
CHECK_TYPE(struct MvMqttPublishResponse, correlation_id, uint32_t);
CHECK_TYPE(struct MvMqttPublishResponse, reason_code, uint32_t);
CHECK_ORDER(struct MvMqttPublishResponse, request_state, correlation_id);
CHECK_ORDER(struct MvMqttPublishResponse, correlation_id, reason_code);

CHECK_TYPE(struct MvMqttMessage, correlation_id, uint32_t *);
CHECK_TYPE(struct MvMqttMessage, topic, struct MvSizedStringBuffer);
CHECK_TYPE(struct MvMqttMessage, payload, struct MvSizedStringBuffer);
CHECK_TYPE(struct MvMqttMessage, qos, uint32_t *);
CHECK_TYPE(struct MvMqttMessage, retain, uint8_t *);
CHECK_ORDER(struct MvMqttMessage, correlation_id, topic);
CHECK_ORDER(struct MvMqttMessage, topic, payload);
CHECK_ORDER(struct MvMqttMessage, payload, qos);
CHECK_ORDER(struct MvMqttMessage, qos, retain);

CHECK_TYPE(struct MvMqttLostMessageInfo, reason, enum MvMqttLostMessageReason *);
CHECK_TYPE(struct MvMqttLostMessageInfo, topic, struct MvSizedStringBuffer);
CHECK_TYPE(struct MvMqttLostMessageInfo, message_len, uint32_t *);
CHECK_ORDER(struct MvMqttLostMessageInfo, reason, topic);
CHECK_ORDER(struct MvMqttLostMessageInfo, topic, message_len);

CHECK_TYPE(struct MvMqttDisconnectResponse, request_state, enum MvMqttRequestState);
CHECK_TYPE(struct MvMqttDisconnectResponse, disconnect_code, uint32_t);
CHECK_ORDER(struct MvMqttDisconnectResponse, request_state, disconnect_code);

CHECK_TYPE(struct MvOpenSystemNotificationParams, notification_handle, MvNotificationHandle);
CHECK_TYPE(struct MvOpenSystemNotificationParams, notification_tag, uint32_t);
CHECK_TYPE(struct MvOpenSystemNotificationParams, notification_source,
           enum MvSystemNotificationSource);
CHECK_ORDER(struct MvOpenSystemNotificationParams, notification_handle, notification_tag);
CHECK_ORDER(struct MvOpenSystemNotificationParams, notification_tag, notification_source);

CHECK_TYPE(struct MvExternalFlashInfo, version, uint32_t);
CHECK_TYPE(struct MvExternalFlashInfo, v1.chip_id, uint32_t);
CHECK_TYPE(struct MvExternalFlashInfo, v1.size, uint32_t);
CHECK_TYPE(struct MvExternalFlashInfo, v1.num_handles, uint32_t);
CHECK_ORDER(struct MvExternalFlashInfo, version, v1.chip_id);
CHECK_ORDER(struct MvExternalFlashInfo, v1.chip_id, v1.size);
CHECK_ORDER(struct MvExternalFlashInfo, v1.size, v1.num_handles);

CHECK_TYPE(struct MvWifiConfig, version, uint32_t);
CHECK_TYPE(struct MvWifiConfig, v1.config_mode, enum MvWifiConfigMode);
CHECK_TYPE(struct MvWifiConfig, v1.wifi_ssid, struct MvSizedString);
CHECK_TYPE(struct MvWifiConfig, v1.wifi_password, struct MvSizedString);
CHECK_ORDER(struct MvWifiConfig, version, v1.config_mode);
CHECK_ORDER(struct MvWifiConfig, v1.config_mode, v1.wifi_ssid);
CHECK_ORDER(struct MvWifiConfig, v1.wifi_ssid, v1.wifi_password);

CHECK_TYPE(struct MvWifiConfigOut, version, uint32_t);
CHECK_TYPE(struct MvWifiConfigOut, v1.ssid, struct MvSizedStringBuffer);
CHECK_TYPE(struct MvWifiConfigOut, v1.has_encryption, uint8_t *);
CHECK_ORDER(struct MvWifiConfigOut, version, v1.ssid);
CHECK_ORDER(struct MvWifiConfigOut, v1.ssid, v1.has_encryption);

/* ---- every function's signature, as the vendor header v0.7.0 declares it (71 calls) ---- */
CHECK_SIGNATURE(mvNoOp, (void));
CHECK_SIGNATURE(mvGetMicroseconds, (uint64_t *));
CHECK_SIGNATURE(mvGetSysClk, (uint32_t *));
CHECK_SIGNATURE(mvGetHClk, (uint32_t *));
CHECK_SIGNATURE(mvGetPClk1, (uint32_t *));
CHECK_SIGNATURE(mvGetPClk2, (uint32_t *));
CHECK_SIGNATURE(mvGetWallTime, (uint64_t *));
CHECK_SIGNATURE(mvGetDeviceId, (uint8_t *, uint32_t));
CHECK_SIGNATURE(mvPeriphPeek32, (uint32_t, uint32_t *));
CHECK_SIGNATURE(mvPeriphPoke32, (uint32_t, uint32_t, uint32_t));
CHECK_SIGNATURE(mvSetupNotifications, (const struct MvNotificationSetup *, MvNotificationHandle *));
CHECK_SIGNATURE(mvCloseNotifications, (MvNotificationHandle *));
CHECK_SIGNATURE(mvTempTriggerNotification, (MvNotificationHandle, enum MvEventType, uint32_t));
CHECK_SIGNATURE(mvSetFastInterrupt, (uint32_t));
CHECK_SIGNATURE(mvClearFastInterrupt, (uint32_t));
CHECK_SIGNATURE(mvEnableFastInterrupt, (uint32_t));
CHECK_SIGNATURE(mvDisableFastInterrupt, (uint32_t));
CHECK_SIGNATURE(mvDisableAllFastInterrupts, (void));
CHECK_SIGNATURE(mvEnableAllFastInterrupts, (void));
CHECK_SIGNATURE(mvRequestNetwork, (const struct MvRequestNetworkParams *, MvNetworkHandle *));
CHECK_SIGNATURE(mvReleaseNetwork, (MvNetworkHandle *));
CHECK_SIGNATURE(mvGetNetworkStatus, (MvNetworkHandle, enum MvNetworkStatus *));
CHECK_SIGNATURE(mvGetNetworkReasons, (enum MvNetworkReason *, uint32_t *));
CHECK_SIGNATURE(mvOpenChannel, (const struct MvOpenChannelParams *, MvChannelHandle *));
CHECK_SIGNATURE(mvReadChannel, (MvChannelHandle, uint8_t **, uint32_t *));
CHECK_SIGNATURE(mvReadChannelComplete, (MvChannelHandle, uint32_t));
CHECK_SIGNATURE(mvWriteChannelStream, (MvChannelHandle, const uint8_t *, uint32_t, uint32_t *));
CHECK_SIGNATURE(mvWriteChannel, (MvChannelHandle, const uint8_t *, uint32_t, uint32_t *));
CHECK_SIGNATURE(mvCloseChannel, (MvChannelHandle *));
CHECK_SIGNATURE(mvGetChannelClosureReason, (MvChannelHandle, enum MvClosureReason *));
CHECK_SIGNATURE(mvSendHttpRequest, (MvChannelHandle, const struct MvHttpRequest *));
CHECK_SIGNATURE(mvReadHttpResponseData, (MvChannelHandle, struct MvHttpResponseData *));
CHECK_SIGNATURE(mvReadHttpResponseHeader, (MvChannelHandle, uint32_t, uint8_t *, uint32_t));
CHECK_SIGNATURE(mvReadHttpResponseBody, (MvChannelHandle, uint32_t, uint8_t *, uint32_t));
CHECK_SIGNATURE(mvServerLoggingInit, (uint8_t *, uint32_t));
CHECK_SIGNATURE(mvServerLog, (const uint8_t *, uint16_t));
CHECK_SIGNATURE(mvSendConfigFetchRequest, (MvChannelHandle, const struct MvConfigKeyFetchParams *));
CHECK_SIGNATURE(mvReadConfigFetchResponseData, (MvChannelHandle, struct MvConfigResponseData *));
CHECK_SIGNATURE(mvReadConfigResponseItem, (MvChannelHandle, const struct MvConfigResponseReadItemParams *));
CHECK_SIGNATURE(mvMqttGetNextReadableDataType, (MvChannelHandle, enum MvMqttReadableDataType *));
CHECK_SIGNATURE(mvMqttRequestConnect, (MvChannelHandle, const struct MvMqttConnectRequest *));
CHECK_SIGNATURE(mvMqttReadConnectResponse, (MvChannelHandle, struct MvMqttConnectResponse *));
CHECK_SIGNATURE(mvMqttRequestSubscribe, (MvChannelHandle, const struct MvMqttSubscribeRequest *));
CHECK_SIGNATURE(mvMqttReadSubscribeResponse, (MvChannelHandle, const struct MvMqttSubscribeResponse *));
CHECK_SIGNATURE(mvMqttRequestUnsubscribe, (MvChannelHandle, const struct MvMqttUnsubscribeRequest *));
CHECK_SIGNATURE(mvMqttReadUnsubscribeResponse, (MvChannelHandle, const struct MvMqttUnsubscribeResponse *));
CHECK_SIGNATURE(mvMqttRequestPublish, (MvChannelHandle, const struct MvMqttPublishRequest *));
CHECK_SIGNATURE(mvMqttReadPublishResponse, (MvChannelHandle, struct MvMqttPublishResponse *));
CHECK_SIGNATURE(mvMqttReceiveMessage, (MvChannelHandle, const struct MvMqttMessage *));
CHECK_SIGNATURE(mvMqttReceiveLostMessageInfo, (MvChannelHandle, const struct MvMqttLostMessageInfo *));
CHECK_SIGNATURE(mvMqttAcknowledgeMessage, (MvChannelHandle, uint32_t));
CHECK_SIGNATURE(mvMqttRequestDisconnect, (MvChannelHandle));
CHECK_SIGNATURE(mvMqttReadDisconnectResponse, (MvChannelHandle, struct MvMqttDisconnectResponse *));
CHECK_SIGNATURE(mvTestingComplete, (uint32_t));
CHECK_SIGNATURE(mvTestLoggingInit, (uint8_t *, uint32_t));
CHECK_SIGNATURE(mvTestLog, (const uint8_t *, uint16_t));
CHECK_SIGNATURE(mvPowerSave, (enum MvPowerSavingMode));
CHECK_SIGNATURE(mvSystemLedEnable, (uint32_t));
CHECK_SIGNATURE(mvOpenSystemNotification, (const struct MvOpenSystemNotificationParams *, MvSystemEventHandle *));
CHECK_SIGNATURE(mvCloseSystemNotification, (MvSystemEventHandle *));
CHECK_SIGNATURE(mvDeepSleep, (enum MvDeepSleepMode));
CHECK_SIGNATURE(mvGetWakeReason, (enum MvWakeReason *));
CHECK_SIGNATURE(mvRestart, (enum MvRestartMode));
CHECK_SIGNATURE(mvExternalFlashOpen, (MvExternalFlashHandle *));
CHECK_SIGNATURE(mvExternalFlashClose, (MvExternalFlashHandle *));
CHECK_SIGNATURE(mvExternalFlashReadBlocking, (MvExternalFlashHandle, uint32_t, uint32_t, uint8_t *));
CHECK_SIGNATURE(mvExternalFlashEraseBlocking, (MvExternalFlashHandle, uint32_t, uint32_t));
CHECK_SIGNATURE(mvExternalFlashWriteBlocking, (MvExternalFlashHandle, uint32_t, uint32_t, const uint8_t *));
CHECK_SIGNATURE(mvExternalFlashGetInfo, (MvExternalFlashHandle, struct MvExternalFlashInfo *));
CHECK_SIGNATURE(mvSetWifiConfig, (const struct MvWifiConfig *));
CHECK_SIGNATURE(mvGetWifiConfig, (const struct MvWifiConfigOut *));

/* ---- handles are pointers to distinct opaque types ---- */
_Static_assert(sizeof(MvNotificationHandle) == sizeof(void *), "handles must be pointers");
_Static_assert(_Generic((MvChannelHandle)0, struct MvChannelHandleOpaque *: 1, default: 0),
               "MvChannelHandle must point to struct MvChannelHandleOpaque");
_Static_assert(_Generic((MvSystemEventHandle)0, struct MvSystemEventHandleOpaque *: 1, default: 0),
               "MvSystemEventHandle must point to struct MvSystemEventHandleOpaque");
_Static_assert(_Generic((MvExternalFlashHandle)0, struct MvExternalFlashHandleOpaque *: 1,
                        default: 0),
               "MvExternalFlashHandle must point to struct MvExternalFlashHandleOpaque");

int main(void) {
    puts("mv_syscalls.h layout matches the vendor header v0.7.0");
    return 0;
}
