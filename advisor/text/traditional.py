"""Traditional → simplified Chinese, for the characters the reader's vocabulary uses.

Folding is one character to one character, so every offset in the folded text is an offset in
the person's own text and evidence can quote their words (traditional characters included).
This is not a general converter: it covers the vocabulary tables and the words around them.
"""

from __future__ import annotations

# Read pairwise: the n-th traditional character folds to the n-th simplified one.
_TRADITIONAL = (
    "調從頭練訓遷學習預擬過盪蕩斂損數參張條圖類標檢測語處譯薦統時間緊盡優據樣億萬輪試驗積擴網"
    "絡層機強對聲識別權減動當沒無為設個現採環經變換價碼單詞讀點擊戶號徵際屬結構歸規則導題問顯"
    "穩擺漲飆驟線週遞係進準確麼嗎還應該與並僅雙離歷較啟態適長臨級筆錄評論鍵頻訊視覺聯體裝計義"
    "們這種邊實組趕輕難錯誤極專業項務幾兩質遠門鏈亂帶隨紀後裡說會顧嚴緩費陣陸階資倉庫"
)
_SIMPLIFIED = (
    "调从头练训迁学习预拟过荡荡敛损数参张条图类标检测语处译荐统时间紧尽优据样亿万轮试验积扩网"
    "络层机强对声识别权减动当没无为设个现采环经变换价码单词读点击户号征际属结构归规则导题问显"
    "稳摆涨飙骤线周递系进准确么吗还应该与并仅双离历较启态适长临级笔录评论键频讯视觉联体装计义"
    "们这种边实组赶轻难错误极专业项务几两质远门链乱带随纪后里说会顾严缓费阵陆阶资仓库"
)

#: Traditional character → its simplified form (one code point each way).
TRADITIONAL_TO_SIMPLIFIED: dict[str, str] = dict(zip(_TRADITIONAL, _SIMPLIFIED, strict=True))
