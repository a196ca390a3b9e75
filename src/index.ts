// hookcat's public SDK: define plugins and adapters, verify senders, answer requests, and type it all.
export { z } from 'zod'
export { definePlugin } from './host/plugin/define.js'
export { secret } from './host/plugin/secret.js'
export { chatKey } from './host/plugin/config-check.js'
export * as verify from './host/verify/index.js'
export { reply, WebhookReply } from './host/ingress/reply.js'
export { WebhookRequest } from './host/ingress/request.js'
export { defineAdapter, SendError } from './host/outbox/adapter.js'
export { parseChatKey } from './host/outbox/chat-key.js'
export { parseMuteDuration as parseDuration } from './host/outbox/quiet.js'
export { HookcatError, ERRORS, type ErrorCode } from './util/errors.js'
export { VERSION } from './util/version.js'
export { githubEvent, githubWebhook, type GitHubWebhook, type GitHubEventHandler, type GitHubHandlerContext } from './sdk/github.js'
export type {
  Plugin,
  PluginDefinition,
  DefinedPlugin,
  PluginStore,
  StoreScope,
  SentMessage,
  HostAccess,
  HttpMethod,
  WebhookHandler,
  WebhookOptions,
  WebhookResult,
  DedupOptions,
  EventSource,
  ChatStatus,
} from './host/plugin/types.js'
export type { MarkedResult, OutcomeMark } from './host/ingress/reply.js'
export type { ChatContext, CommandContext, CommandHandler, CommandOptions, CommandPermission, InboundMessage, MessageFilter, MessageHandler, SenderRole } from './host/chat/types.js'
export type { Message, MessageInput, MessageField, MessageAttachment, MentionRef } from './host/messages.js'
export { escapeMarkdown, LEVEL_ICONS } from './host/messages.js'
export type { AdapterFactory, AdapterInstance, AdapterContext, SendContext, RateLimit, AdapterLink, AdapterStatus } from './host/outbox/adapter.js'
export type { Verifier, VerifyInput, VerifyHead, BodyCheck, VerifyResult, SecretSource } from './host/verify/types.js'
export type { HookcatConfig, HookcatConfigInput } from './config/schema.js'
export type { PluginTasks, TaskContext, TaskHandler, TaskInfo, TaskOptions, TaskPolicy, TaskStatus } from './host/tasks/types.js'
export type { PluginEvents, PluginEventData, PluginEventHandler, PluginEventMeta } from './host/plugin/events.js'
export type * from './types/senders/index.js'
