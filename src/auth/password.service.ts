import { Injectable } from '@nestjs/common';
import { dictionary } from '@zxcvbn-ts/language-common';
import argon2 from 'argon2';
import { availableParallelism } from 'node:os';
import pLimit from 'p-limit';

/** OWASP Password Storage Cheat Sheet: argon2id, m = 19 MiB, t = 2, p = 1 (the minimum). */
const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

/**
 * Hashes at once: one per core. Each holds 19 MiB and a core for its time; more at once
 * would only wait in libuv's thread pool (which file and DNS work share) with their memory
 * taken, and a burst of sign-ins would raise the process's resident memory by that much.
 */
const hashing = pLimit(availableParallelism());

/** The most common passwords of public breaches (zxcvbn's list), lower-cased. */
const COMMON = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));

@Injectable()
export class PasswordService {
  /** A hash of a random password, verified against when the e-mail is unknown so both take as long. */
  private readonly decoy = hashing(() => argon2.hash(`decoy-${Math.random()}-${Date.now()}`, ARGON2_OPTIONS));

  isCommon(password: string): boolean {
    return COMMON.has(password.toLowerCase());
  }

  hash(password: string): Promise<string> {
    return hashing(() => argon2.hash(password, ARGON2_OPTIONS));
  }

  /** Verifies against the hash, or against the decoy when there is none, in the same time. */
  async verify(hash: string | null | undefined, password: string): Promise<boolean> {
    try {
      if (!hash) {
        const decoy = await this.decoy;
        await hashing(() => argon2.verify(decoy, password));
        return false;
      }
      return await hashing(() => argon2.verify(hash, password));
    } catch {
      return false;
    }
  }
}
