import { z } from 'zod';

/** The two languages every person-facing text is written in. */
export const LANGUAGES = ['zh-CN', 'en'] as const;
export const Language = z.enum(LANGUAGES);
export type Language = z.infer<typeof Language>;

/** A text shown to people, in both product languages. */
export const LocalizedText = z.object({ 'zh-CN': z.string().min(1), en: z.string().min(1) }).strict();
export type LocalizedText = z.infer<typeof LocalizedText>;

export const text = (zh: string, en: string): LocalizedText => ({ 'zh-CN': zh, en });
