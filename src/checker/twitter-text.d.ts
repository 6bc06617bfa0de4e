/** The parts of `twitter-text` (which ships no types) that the checker uses. */
declare module "twitter-text" {
  export interface UrlEntity {
    url: string;
    indices: [number, number];
  }
  export interface ParsedTweet {
    weightedLength: number;
    valid: boolean;
    permillage: number;
    validRangeStart: number;
    validRangeEnd: number;
    displayRangeStart: number;
    displayRangeEnd: number;
  }
  export interface TwitterText {
    extractUrlsWithIndices(text: string, options?: { extractUrlsWithoutProtocol?: boolean }): UrlEntity[];
    parseTweet(text: string): ParsedTweet;
  }
  const twitterText: TwitterText;
  export default twitterText;
}
