import { z } from 'zod';
import { Language } from './i18n-text';

export const Settings = z.object({ language: Language.nullable() }).strict();
export type Settings = z.infer<typeof Settings>;

export const SettingsPatch = z.object({ language: Language }).partial().strict();
