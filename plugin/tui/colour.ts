import { createContext, useContext } from 'react';

/**
 * Whether the screen draws in colour: off with NO_COLOR set (https://no-color.org) or when stdout is not
 * a terminal. Bold and inverse stay: they are not colours, and the cursor row needs to show.
 */
export const ColourContext = createContext(true);

export function useColour(): boolean {
  return useContext(ColourContext);
}

export function colourWanted(env: NodeJS.ProcessEnv, isTTY: boolean | undefined): boolean {
  return isTTY === true && !env.NO_COLOR;
}
